using Ateb.Features.Audit;
using Ateb.Features.Customers;
using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Customers;

public sealed class MergeCustomersTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Merging_moves_identities_tickets_messages_participation_and_notes_into_the_target()
    {
        var ws = await app.CreateWorkspaceAsync();
        var org = await (await ws.Owner.PostAsJsonAsync("/api/v1/organizations", new { name = "Cwmni" })).ReadAsync<Ateb.Features.Organizations.OrganizationResponse>();
        var target = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "Dafydd Jones", emails = new[] { "dafydd@example.cymru" } }))
            .ReadAsync<CustomerResponse>();
        await ws.Owner.PatchAsJsonAsync($"/api/v1/customers/{target.Id}", new { notes = "Prefers Welsh." });
        // The duplicate came in over chat: its thread is one ticket, keyed to it.
        var chat = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", new
        {
            channel = "chat", externalId = "c1", from = new { kind = "chat_visitor", value = "visitor-1" }, fromName = "D. Jones", text = "Helo",
        })).ReadAsync<ReceivedMessage>();
        var sourceId = chat.CustomerId;
        await ws.Owner.PatchAsJsonAsync($"/api/v1/customers/{sourceId}", new { notes = "VIP.", organizationId = org.Id });
        var own = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Own", requester = new { customerId = target.Id } })).ReadAsync<TicketResponse>();
        var third = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Third", requester = new { name = "Other" } })).ReadAsync<TicketResponse>();
        await ws.DbAsync(async db =>
        {
            db.TicketParticipants.AddRange(
                new TicketParticipant { TicketId = third.Id, CustomerId = sourceId, CreatedAt = DateTimeOffset.UtcNow },
                new TicketParticipant { TicketId = own.Id, CustomerId = sourceId, CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        var response = await ws.Owner.PostAsJsonAsync($"/api/v1/customers/{target.Id}/merge", new { sourceId });
        var merged = await response.ReadAsync<CustomerResponse>();
        Assert.Equal("Dafydd Jones", merged.Name);
        Assert.Equal("Prefers Welsh.\n\nVIP.", merged.Notes);
        Assert.Equal(org.Id, merged.OrganizationId);
        Assert.Contains(merged.Identities, i => i.Kind == IdentityKind.ChatVisitor && i.Value == "visitor-1");
        Assert.Equal(["dafydd@example.cymru"], merged.Emails);
        Assert.Equal([chat.TicketId, own.Id], merged.Tickets!.Select(t => t.Id).Order());
        Assert.Null(merged.MergedIntoId);

        var tombstone = await (await ws.Owner.GetAsync($"/api/v1/customers/{sourceId}")).ReadAsync<CustomerResponse>();
        Assert.Equal(target.Id, tombstone.MergedIntoId);
        Assert.Empty(tombstone.Identities);
        Assert.Empty(tombstone.Tickets!);
        var list = await (await ws.Owner.GetAsync("/api/v1/customers?q=jones")).ReadAsync<CustomerPage>();
        Assert.Equal([target.Id], list.Items.Select(c => c.Id));

        var (authors, participants, audit) = await ws.DbAsync(async db => (
            await db.Messages.Where(m => m.TicketId == chat.TicketId).Select(m => m.AuthorCustomerId).ToListAsync(),
            await db.TicketParticipants.OrderBy(p => p.TicketId).Select(p => new { p.TicketId, p.CustomerId }).ToListAsync(),
            (await db.AuditEntries.Where(a => a.Action == "merged_from" || a.Action == "merged_into").Select(a => new { a.Action, a.EntityId }).ToListAsync())
                .Select(a => $"{a.Action}:{a.EntityId}").ToList()));
        Assert.All(authors, a => Assert.Equal(target.Id, a));
        Assert.Equal([new { TicketId = third.Id, CustomerId = target.Id }], participants);
        Assert.Equal([$"merged_from:{target.Id}", $"merged_into:{sourceId}"], audit.Order());

        // The chat thread continues in the same ticket, now the target's.
        var next = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", new
        {
            channel = "chat", externalId = "c2", from = new { kind = "chat_visitor", value = "visitor-1" }, text = "Still there?",
        })).ReadAsync<ReceivedMessage>();
        Assert.Equal((chat.TicketId, target.Id), (next.TicketId, next.CustomerId));
        var byRequester = await (await ws.Owner.GetAsync($"/api/v1/tickets?requester={target.Id}")).ReadAsync<TicketPage>();
        Assert.Equal(2, byRequester.Items.Length);
    }

    [Fact]
    public async Task The_merged_customer_leaves_search_once_indexed()
    {
        var ws = await app.CreateWorkspaceAsync();
        var target = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "Zainab Haddad", emails = new[] { "zainab@example.com" } })).ReadAsync<CustomerResponse>();
        var source = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "Zainab H.", emails = new[] { "zh@example.com" } })).ReadAsync<CustomerResponse>();
        (await ws.Owner.PostAsJsonAsync($"/api/v1/customers/{target.Id}/merge", new { sourceId = source.Id })).EnsureSuccessStatusCode();
        // Both customers are re-indexed by outbox jobs: wait for the outcome itself, not for one of the two jobs.
        Guid[] ids = [];
        for (var i = 0; i < 150; i++)
        {
            var found = await ws.Owner.GetFromJsonAsync<SearchResponse>("/api/v1/search?q=zh@example.com", Json.Options);
            ids = [.. found!.Customers.Select(c => c.Id)];
            if (ids.SequenceEqual([target.Id]))
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal([target.Id], ids);
    }

    [Fact]
    public async Task Merging_into_itself_twice_or_across_workspaces_is_refused_and_changes_nothing()
    {
        var ws = await app.CreateWorkspaceAsync();
        var a = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "A", emails = new[] { "a@example.com" } })).ReadAsync<CustomerResponse>();
        var b = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "B", emails = new[] { "b@example.com" } })).ReadAsync<CustomerResponse>();
        var other = await app.CreateWorkspaceAsync();
        var foreign = await (await other.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "F", emails = new[] { "f@example.com" } })).ReadAsync<CustomerResponse>();
        var (light, _) = await ws.AddAgentAsync(Ateb.Features.Agents.Role.LightAgent);

        async Task<HttpStatusCode> MergeAsync(HttpClient client, Guid into, object body) => (await client.PostAsJsonAsync($"/api/v1/customers/{into}/merge", body)).StatusCode;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await MergeAsync(ws.Owner, a.Id, new { sourceId = a.Id }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await MergeAsync(ws.Owner, a.Id, new { }));
        Assert.Equal(HttpStatusCode.NotFound, await MergeAsync(ws.Owner, a.Id, new { sourceId = foreign.Id }));
        Assert.Equal(HttpStatusCode.NotFound, await MergeAsync(ws.Owner, foreign.Id, new { sourceId = a.Id }));
        Assert.Equal(HttpStatusCode.Forbidden, await MergeAsync(light, a.Id, new { sourceId = b.Id }));
        Assert.Equal(HttpStatusCode.OK, await MergeAsync(ws.Owner, a.Id, new { sourceId = b.Id }));
        Assert.Equal(HttpStatusCode.Conflict, await MergeAsync(ws.Owner, a.Id, new { sourceId = b.Id }));
        Assert.Equal(HttpStatusCode.Conflict, await MergeAsync(ws.Owner, b.Id, new { sourceId = a.Id }));
        Assert.Equal(HttpStatusCode.Conflict, (await ws.Owner.PatchAsJsonAsync($"/api/v1/customers/{b.Id}", new { name = "Back" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "x", requester = new { customerId = b.Id } })).StatusCode);
        var untouched = await (await other.Owner.GetAsync($"/api/v1/customers/{foreign.Id}")).ReadAsync<CustomerResponse>();
        Assert.Equal(["f@example.com"], untouched.Emails);
        Assert.Null(untouched.MergedIntoId);
    }

    [Fact]
    public async Task Two_opposite_merges_at_once_never_make_a_cycle()
    {
        var ws = await app.CreateWorkspaceAsync();
        var a = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "A", emails = new[] { "a@example.com" } })).ReadAsync<CustomerResponse>();
        var b = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "B", emails = new[] { "b@example.com" } })).ReadAsync<CustomerResponse>();
        var results = await Task.WhenAll(
            ws.Owner.PostAsJsonAsync($"/api/v1/customers/{a.Id}/merge", new { sourceId = b.Id }),
            ws.Owner.PostAsJsonAsync($"/api/v1/customers/{b.Id}/merge", new { sourceId = a.Id }));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.StatusCode).Order());
        var merged = await ws.DbAsync(db => db.Customers.CountAsync(c => c.MergedIntoId != null));
        Assert.Equal(1, merged);
        Assert.Equal(1, await ws.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == "merged_into")));
    }
}
