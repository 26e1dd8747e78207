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
internal sealed class WebhookEvents(AtebDb db, TimeProvider clock, WebhookSubscriptionCache cache)
{
    private static readonly JsonSerializerOptions Json = CreateJson();
    private IReadOnlyList<WebhookSubscription>? _subscriptions;

    /// <summary>Outbox rows added by this unit of work; zero means there is nothing to wake the dispatcher for.</summary>
    public int Added { get; private set; }

    public async Task AddAsync(string eventName, object data, CancellationToken ct)
    {
        _subscriptions ??= await cache.GetAsync(db, ct);
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
            Added++;
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions();
        WebFeature.Configure(json);
        return json;
    }
}

/// <summary>
/// Active subscriptions per workspace, kept for a few seconds: most workspaces have none, and asking on every
/// ticket change would cost a query per write. Changes made on this node invalidate at once; other nodes see them
/// within <see cref="Lifetime"/>.
/// </summary>
internal sealed class WebhookSubscriptionCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (DateTimeOffset At, IReadOnlyList<WebhookSubscription> Items)> _byWorkspace = new();

    public async Task<IReadOnlyList<WebhookSubscription>> GetAsync(AtebDb db, CancellationToken ct)
    {
        var workspace = db.CurrentWorkspaceId;
        if (_byWorkspace.TryGetValue(workspace, out var entry) && clock.GetUtcNow() - entry.At < Lifetime)
        {
            return entry.Items;
        }
        var items = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        _byWorkspace[workspace] = (clock.GetUtcNow(), items);
        return items;
    }

    public void Invalidate(Guid workspaceId) => _byWorkspace.TryRemove(workspaceId, out _);
}

internal sealed record WebhookPayload(Guid SubscriptionId, string Type, DateTimeOffset Timestamp, object Data);
