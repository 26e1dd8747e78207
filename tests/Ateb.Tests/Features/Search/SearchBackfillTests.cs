using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Search;

/// <summary>
/// The background backfill is off (it runs once, 2 s after start, and used to index this test's rows before its first
/// search whenever the test ran early): only the test's own backfill passes index anything here.
/// </summary>
public sealed class NoBackgroundBackfillApp : AtebApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Search:Backfill"] = "false" };
}

/// <summary>Runs on SQLite and PostgreSQL.</summary>
public sealed class SearchBackfillTests(NoBackgroundBackfillApp app) : IClassFixture<NoBackgroundBackfillApp>
{
    private static async Task<bool> FindsAsync(TestWorkspace ws, string q, Guid ticket) =>
        (await (await ws.Owner.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(q + " "))).ReadAsync<SearchResponse>()).Tickets.Any(t => t.Id == ticket);

    [Fact]
    public async Task Text_written_before_search_existed_is_indexed_by_the_backfill()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticketId = await ws.DbAsync(async db =>
        {
            var customer = new Ateb.Features.Customers.Customer { Name = "Old Customer", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            var ticket = new Ticket { Number = 9001, Subject = "Legacy ticket", RequesterId = customer.Id, CreatedAt = DateTimeOffset.UtcNow };
            db.Customers.Add(customer);
            db.Tickets.Add(ticket);
            db.Messages.Add(new Message { TicketId = ticket.Id, BodyText = "The thermostat shows a wrong temperature.", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return ticket.Id;
        });
        var before = await (await ws.Owner.GetAsync("/api/v1/search?q=thermostat%20")).ReadAsync<SearchResponse>();
        Assert.Empty(before.Tickets);
        await app.Services.GetRequiredService<SearchBackfill>().RunOnceAsync(CancellationToken.None);
        Assert.True(await FindsAsync(ws, "thermostat", ticketId));
        var documents = await ws.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.SearchDocuments, d => d.TicketId == ticketId));
        await app.Services.GetRequiredService<SearchBackfill>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(documents, await ws.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.SearchDocuments, d => d.TicketId == ticketId)));
    }
}
