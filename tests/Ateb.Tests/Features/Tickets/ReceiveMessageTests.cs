using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Tickets;

public sealed class ReceiveMessageTests(AtebApp app) : IClassFixture<AtebApp>
{
    private static object Inbound(string externalId, string from, string text, string threading = "open_ticket_of_customer", Guid? ticketId = null,
        string kind = "email", string channel = "chat") =>
        new { channel, externalId, from = new { kind, value = from }, fromName = "Visitor", text, threading, ticketId };

    [Fact]
    public async Task The_same_message_delivered_twice_is_stored_once()
    {
        var ws = await app.CreateWorkspaceAsync();
        var first = await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("m-1", "kim@example.com", "hello"));
        var again = await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("m-1", "kim@example.com", "hello"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var a = await first.ReadAsync<ReceivedMessage>();
        var b = await again.ReadAsync<ReceivedMessage>();
        Assert.Equal(a.MessageId, b.MessageId);
        Assert.True(b.Duplicate);
        Assert.Equal(1, await ws.CountAsync<Message>());
    }

    [Fact]
    public async Task Twenty_parallel_identical_deliveries_create_one_message_one_customer_one_ticket()
    {
        var ws = await app.CreateWorkspaceAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("wamid.SAME", "+98 912 123 4567", "سلام", kind: "whats_app", channel: "whats_app"))));
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Equal(1, await ws.CountAsync<Message>());
        Assert.Equal(1, await ws.CountAsync<Customer>());
        Assert.Equal(1, await ws.CountAsync<Ticket>());
        var results = await Task.WhenAll(responses.Select(r => r.ReadAsync<ReceivedMessage>()));
        Assert.Single(results.Select(r => r.MessageId).Distinct());
    }

    [Fact]
    public async Task Twenty_parallel_messages_from_one_new_address_create_one_customer()
    {
        var ws = await app.CreateWorkspaceAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound($"m-{i}", "New.Person@Example.com", $"message {i}", threading: "new_ticket"))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(1, await ws.CountAsync<Customer>());
        Assert.Equal(1, await ws.CountAsync<CustomerIdentity>());
        Assert.Equal(20, await ws.CountAsync<Message>());
    }

    [Fact]
    public async Task Chat_messages_thread_into_the_customers_open_ticket_and_reopen_pending_ones()
    {
        var ws = await app.CreateWorkspaceAsync();
        var first = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("c-1", "visitor-42", "hi", kind: "chat_visitor"))).ReadAsync<ReceivedMessage>();
        var second = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("c-2", "visitor-42", "are you there?", kind: "chat_visitor"))).ReadAsync<ReceivedMessage>();
        Assert.Equal(first.TicketId, second.TicketId);
        Assert.False(second.NewTicket);

        await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{first.TicketId}/messages", new { text = "Yes! One moment.", status = "pending" });
        await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("c-3", "visitor-42", "thanks", kind: "chat_visitor"));
        var ticket = await (await ws.Owner.GetAsync($"/api/v1/tickets/{first.TicketId}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal(TicketStatus.Open, ticket.Ticket.Status);
        Assert.Equal(4, ticket.Messages.Length);
    }

    [Fact]
    public async Task A_customer_writing_after_solve_reopens_and_after_close_starts_a_new_ticket()
    {
        var ws = await app.CreateWorkspaceAsync();
        var first = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("e-1", "ana@example.com", "hello", threading: "new_ticket", channel: "email"))).ReadAsync<ReceivedMessage>();
        await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{first.TicketId}", new { status = "solved" });
        var reply = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("e-2", "ana@example.com", "still broken", "ticket", first.TicketId, channel: "email"))).ReadAsync<ReceivedMessage>();
        Assert.Equal(first.TicketId, reply.TicketId);
        var reopened = await (await ws.Owner.GetAsync($"/api/v1/tickets/{first.TicketId}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal(TicketStatus.Open, reopened.Ticket.Status);
        Assert.NotNull(reopened.Ticket.ReopenedAt);

        await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{first.TicketId}", new { status = "solved" });
        await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{first.TicketId}", new { status = "closed" });
        var late = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("e-3", "ana@example.com", "one more thing", "ticket", first.TicketId, channel: "email"))).ReadAsync<ReceivedMessage>();
        Assert.NotEqual(first.TicketId, late.TicketId);
        Assert.True(late.NewTicket);
    }

    [Fact]
    public async Task A_stranger_naming_someone_elses_ticket_gets_a_ticket_of_their_own()
    {
        var ws = await app.CreateWorkspaceAsync();
        var victim = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("v-1", "victim@example.com", "my invoice", threading: "new_ticket", channel: "email"))).ReadAsync<ReceivedMessage>();
        var stranger = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("s-1", "stranger@example.com", "let me in", "ticket", victim.TicketId, channel: "email"))).ReadAsync<ReceivedMessage>();
        Assert.NotEqual(victim.TicketId, stranger.TicketId);
        var ticket = await (await ws.Owner.GetAsync($"/api/v1/tickets/{victim.TicketId}")).ReadAsync<TicketDetailResponse>();
        Assert.Single(ticket.Messages);
    }

    [Fact]
    public async Task The_same_external_id_in_two_workspaces_is_two_messages()
    {
        var one = await app.CreateWorkspaceAsync();
        var two = await app.CreateWorkspaceAsync();
        var a = await (await one.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("<x@mail>", "p@example.com", "hi", channel: "email"))).ReadAsync<ReceivedMessage>();
        var b = await (await two.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("<x@mail>", "p@example.com", "hi", channel: "email"))).ReadAsync<ReceivedMessage>();
        Assert.NotEqual(a.MessageId, b.MessageId);
        Assert.False(b.Duplicate);
    }

    [Fact]
    public async Task Html_from_customers_is_sanitized_and_kept_as_text_too()
    {
        var ws = await app.CreateWorkspaceAsync();
        var received = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", new
        {
            channel = "email", externalId = "h-1", from = new { kind = "email", value = "h@example.com" }, threading = "new_ticket",
            html = "<p dir=\"auto\">Hi <b>team</b><script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a><details open ontoggle=alert(4)>d</details></p>",
        })).ReadAsync<ReceivedMessage>();
        var message = (await (await ws.Owner.GetAsync($"/api/v1/tickets/{received.TicketId}")).ReadAsync<TicketDetailResponse>()).Messages.Single();
        Assert.DoesNotContain("script", message.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", message.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript", message.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ontoggle", message.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<b>team</b>", message.BodyHtml, StringComparison.Ordinal);
        Assert.StartsWith("Hi team", message.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Twenty_parallel_chat_messages_from_a_new_visitor_all_land_in_one_ticket()
    {
        var ws = await app.CreateWorkspaceAsync();
        for (var round = 0; round < 2; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound($"chat-{round}-{i}", "visitor-race", $"message {round}.{i}", kind: "chat_visitor"))));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        }
        Assert.Equal(1, await ws.CountAsync<Ticket>());
        Assert.Equal(40, await ws.CountAsync<Message>());
    }

    [Fact]
    public async Task A_reply_to_a_merged_ticket_follows_the_merge()
    {
        var ws = await app.CreateWorkspaceAsync();
        var first = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("m1", "merge@example.com", "one", threading: "new_ticket", channel: "email"))).ReadAsync<ReceivedMessage>();
        var second = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("m2", "merge@example.com", "two", threading: "new_ticket", channel: "email"))).ReadAsync<ReceivedMessage>();
        await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{first.TicketId}/merge", new { targetTicketId = second.TicketId });
        var reply = await (await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", Inbound("m3", "merge@example.com", "re: one", "ticket", first.TicketId, channel: "email"))).ReadAsync<ReceivedMessage>();
        Assert.Equal(second.TicketId, reply.TicketId);
    }

    [Fact]
    public async Task Long_subjects_from_a_channel_are_cut_between_characters_never_through_an_emoji()
    {
        var ws = await app.CreateWorkspaceAsync();
        var subject = new string('a', 498) + "👩🏽‍💻 and more text";
        var received = await ws.DbAsync(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<Ateb.Infrastructure.Data.WorkspaceScope>().Enter(ws.Id);
            var pipeline = scope.ServiceProvider.GetRequiredService<ReceiveMessage>();
            return await pipeline.HandleAsync(new IncomingMessage(Channel.Email, "<long@example.com>", new IdentityInput(IdentityKind.Email, "long@example.com"),
                null, subject, "hi", null, Threading.NewTicket), "long@example.com", CancellationToken.None);
        });
        var ticket = await (await ws.Owner.GetAsync($"/api/v1/tickets/{received.TicketId}")).ReadAsync<TicketDetailResponse>();
        Assert.True(ticket.Ticket.Subject.Length <= 500);
        Assert.EndsWith("a…", ticket.Ticket.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', ticket.Ticket.Subject);
    }

    [Fact]
    public async Task Pathologically_nested_html_is_kept_as_text_without_parsing()
    {
        var ws = await app.CreateWorkspaceAsync();
        var html = string.Concat(Enumerable.Repeat("<div>", 20_000)) + "deep words" + string.Concat(Enumerable.Repeat("</div>", 20_000));
        var received = await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", new
        {
            channel = "email", externalId = "deep", from = new { kind = "email", value = "deep@example.com" }, html, threading = "new_ticket",
        });
        var ticket = await (await ws.Owner.GetAsync($"/api/v1/tickets/{(await received.ReadAsync<ReceivedMessage>()).TicketId}")).ReadAsync<TicketDetailResponse>();
        Assert.Null(ticket.Messages[0].BodyHtml);
        Assert.Equal("deep words", ticket.Messages[0].BodyText);
    }
}
