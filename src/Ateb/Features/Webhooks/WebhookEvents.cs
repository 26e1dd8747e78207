using System.Text.Json;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Webhooks;

public static class WebhookEventNames
{
    public const string TicketCreated = "ticket.created";
    public const string TicketUpdated = "ticket.updated";
    public const string MessageCreated = "message.created";
    public const string TicketMerged = "ticket.merged";

    public static readonly string[] All = [TicketCreated, TicketUpdated, MessageCreated, TicketMerged];
}

/// <summary>
/// Adds one outbox row per interested subscription to the caller's unit of work; the caller's SaveChanges
/// commits them together with the change, so an event is never lost nor sent for a change that rolled back.
/// </summary>
internal sealed class WebhookEvents(AtebDb db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = CreateJson();
    private List<WebhookSubscription>? _subscriptions;

    public async Task AddAsync(string eventName, object data, CancellationToken ct)
    {
        _subscriptions ??= await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var subscription in _subscriptions.Where(s => s.Wants(eventName)))
        {
            var id = "msg_" + Guid.CreateVersion7().ToString("N");
            var payload = JsonSerializer.Serialize(new WebhookPayload(subscription.Id, eventName, now, data), Json);
            db.OutboxMessages.Add(new OutboxMessage
            {
                Kind = WebhookSender.KindName,
                Payload = payload,
                IdempotencyKey = id,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions();
        WebFeature.Configure(json);
        return json;
    }
}

internal sealed record WebhookPayload(Guid SubscriptionId, string Type, DateTimeOffset Timestamp, object Data);
