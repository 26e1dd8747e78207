using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Microsoft.EntityFrameworkCore;
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

    [Fact]
    public async Task A_batch_writes_each_document_whole_and_keeps_the_one_another_writer_indexed_meanwhile()
    {
        var ws = await app.CreateWorkspaceAsync();
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (ticketId, messages) = await ws.DbAsync(async db =>
        {
            var customer = new Ateb.Features.Customers.Customer { Name = "Batch Customer", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            var ticket = new Ticket { Number = 9002, Subject = "Boiler", RequesterId = customer.Id, CreatedAt = DateTimeOffset.UtcNow };
            var written = new[]
            {
                new Message { TicketId = ticket.Id, BodyText = "The boiler clanks at night.", CreatedAt = DateTimeOffset.UtcNow },
                new Message { TicketId = ticket.Id, BodyText = "Note: the boiler is under warranty.", IsPublic = false, CreatedAt = DateTimeOffset.UtcNow },
                new Message { TicketId = ticket.Id, BodyText = "The boiler clanks in the morning too.", CreatedAt = DateTimeOffset.UtcNow },
            };
            db.Customers.Add(customer);
            db.Tickets.Add(ticket);
            db.Messages.AddRange(written);
            await db.SaveChangesAsync();
            return (ticket.Id, written.Select(m => m.Id).ToList());
        });
        var engine = app.Services.GetRequiredService<ISearchEngine>();
        // The first message got its document from another writer between the backfill's check and its write.
        var raced = await ws.DbAsync(async db =>
        {
            var index = new SearchIndex(db, engine, TimeProvider.System);
            await IndexDocument.IndexAsync(db, index, SearchKinds.Message, messages[0], CancellationToken.None);
            return await db.SearchDocuments.AsNoTracking().SingleAsync(d => d.EntityId == messages[0]);
        });
        var indexed = await ws.DbAsync(db => IndexDocument.IndexBatchAsync(db, new SearchIndex(db, engine, TimeProvider.System), SearchKinds.Message, messages, CancellationToken.None));
        Assert.Equal(3, indexed);

        var documents = await ws.DbAsync(db => db.SearchDocuments.AsNoTracking().Where(d => d.TicketId == ticketId && d.Kind == SearchKinds.Message).ToListAsync());
        Assert.Equal(messages.Order(), documents.Select(d => d.EntityId).Order());
        Assert.Equal(raced.Id, documents.Single(d => d.EntityId == messages[0]).Id);
        Assert.All(documents, d =>
        {
            Assert.Equal(ws.Id, d.WorkspaceId);
            Assert.Equal("en", d.Language);
            Assert.InRange(d.UpdatedAt, started, DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.Contains("boiler", d.Body, StringComparison.Ordinal);
        });
        Assert.EndsWith(" internal", documents.Single(d => d.EntityId == messages[1]).Scope, StringComparison.Ordinal);
        // The engine sees the batch: the ticket is found by a word only the batch's messages hold; an agent sees the note.
        Assert.True(await FindsAsync(ws, "morning", ticketId));
        Assert.True(await FindsAsync(ws, "warranty", ticketId));
    }
}
