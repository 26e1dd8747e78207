using System.Text.Json;
using Ateb.Features.Tickets;
using Ateb.Features.Webhooks;
using Ateb.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Webhooks;

public sealed class WebhookDeliveryTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Events_arrive_signed_in_the_standard_webhooks_format()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var ws = await app.CreateWorkspaceAsync();
        var hook = await (await ws.Owner.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, events = new[] { "ticket.created", "message.created" } })).ReadAsync<WebhookResponse>();
        Assert.StartsWith("whsec_", hook.Secret, StringComparison.Ordinal);
        var stored = await ws.DbAsync(db => db.WebhookSubscriptions.SingleAsync());
        Assert.DoesNotContain(hook.Secret!, stored.ProtectedSecret, StringComparison.Ordinal);

        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Hooked", requester = new { name = "C" } })).ReadAsync<TicketResponse>();
        await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/messages", new { text = "reply" });
        await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { priority = "high" });
        Assert.True(await receiver.WaitForAsync(r => r.Deliveries.Count >= 2, TimeSpan.FromSeconds(20)));
        await Task.Delay(500);

        var types = receiver.Deliveries.Select(d => JsonDocument.Parse(d.Body).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Equal(["ticket.created", "message.created"], types.Order().Reverse());
        foreach (var delivery in receiver.Deliveries)
        {
            var expected = "v1," + WebhookSender.Sign(hook.Secret!, delivery.Id, delivery.Timestamp, delivery.Body);
            Assert.Equal(expected, delivery.Signature);
        }
        var created = JsonDocument.Parse(receiver.Deliveries.First(d => d.Body.Contains("ticket.created", StringComparison.Ordinal)).Body).RootElement;
        Assert.Equal(ticket.Number, created.GetProperty("data").GetProperty("number").GetInt64());
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_with_the_same_id_until_it_accepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(3);
        var ws = await app.CreateWorkspaceAsync();
        await ws.Owner.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url });
        await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Retry me", requester = new { name = "C" } });
        Assert.True(await receiver.WaitForAsync(r => !r.Deliveries.IsEmpty, TimeSpan.FromSeconds(30)));
        var row = await ws.DbAsync(db => db.OutboxMessages.SingleAsync(m => m.Kind == Ateb.Features.Webhooks.WebhookSender.KindName));
        Assert.True(await WaitDoneAsync(ws, row.Id));
        var done = await ws.DbAsync(db => db.OutboxMessages.SingleAsync(m => m.Kind == Ateb.Features.Webhooks.WebhookSender.KindName));
        Assert.Equal(4, done.Attempts);
        Assert.Equal(row.IdempotencyKey, receiver.Deliveries.Single().Id);
        var log = await (await ws.Owner.GetAsync("/api/v1/webhooks/deliveries")).ReadAsync<WebhookDeliveryResponse[]>();
        Assert.Equal("done", Assert.Single(log).State);
    }

    [Fact]
    public async Task Webhook_urls_are_checked_when_saved()
    {
        var ws = await app.CreateWorkspaceAsync();
        foreach (var url in new[] { "ftp://example.com/x", "file:///etc/passwd", "not a url", "https://user:pw@example.com/" })
        {
            var response = await ws.Owner.PostAsJsonAsync("/api/v1/webhooks", new { url });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ws.Owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://example.com/h", events = new[] { "everything" } })).StatusCode);
        var (agent, _) = await ws.AddAgentAsync(Ateb.Features.Agents.Role.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://example.com/h" })).StatusCode);
    }

    private static async Task<bool> WaitDoneAsync(TestWorkspace ws, Guid id)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await ws.DbAsync(db => db.OutboxMessages.AnyAsync(m => m.Id == id && m.State == OutboxState.Done)))
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }
}
