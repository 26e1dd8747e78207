using System.Collections.Concurrent;
using System.Globalization;

namespace Ateb.Infrastructure.Realtime;

/// <summary>Something changed that open screens may want to show: <see cref="Id"/> is the thing (a ticket, say) it happened to.</summary>
public sealed record LiveEvent(string Topic, Guid WorkspaceId, Guid? Id = null, string? Detail = null);

/// <summary>
/// In-process publish/subscribe between the code that changes things and the agents' open circuits. A handler never
/// waits for a subscriber: each one is called on the thread pool and its failures are logged, not thrown.
/// With Redis configured (<see cref="RedisLiveBridge"/>) an event goes through Redis to every Ateb process, this one
/// included, so an agent on one node sees what happened on another.
/// </summary>
public sealed class LiveEvents(ILogger<LiveEvents> log)
{
    /// <summary>A subscriber with the culture it subscribed in: it renders in its own agent's language, not the publisher's.</summary>
    private sealed record Subscriber(Func<LiveEvent, Task> Handler, CultureInfo Culture, CultureInfo UiCulture);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, Subscriber>> _topics = new();
    private long _next;

    public static string Tickets(Guid workspaceId) => $"tickets:{workspaceId}";

    public static string Ticket(Guid ticketId) => $"ticket:{ticketId}";

    public static string Counts(Guid workspaceId) => $"counts:{workspaceId}";

    /// <summary>Every workspace's ticket changes, for background listeners such as the view counts.</summary>
    public const string AllTickets = "tickets:*";

    public IDisposable Subscribe(string topic, Func<LiveEvent, Task> handler)
    {
        var id = Interlocked.Increment(ref _next);
        _topics.GetOrAdd(topic, _ => new()).TryAdd(id, new Subscriber(handler, CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture));
        return new Subscription(() =>
        {
            if (_topics.TryGetValue(topic, out var handlers))
            {
                handlers.TryRemove(id, out _);
            }
        });
    }

    public int SubscriberCount(string topic) => _topics.TryGetValue(topic, out var handlers) ? handlers.Count : 0;

    /// <summary>Set by the Redis bridge: sends an event to every node. Returns false when it could not, and the event stays local.</summary>
    internal Func<LiveEvent, bool>? Outbound { get; set; }

    public void Publish(LiveEvent e)
    {
        if (Outbound is { } outbound && outbound(e))
        {
            return;
        }
        Dispatch(e);
    }

    /// <summary>Hands an event to this process's subscribers.</summary>
    internal void Dispatch(LiveEvent e)
    {
        if (!_topics.TryGetValue(e.Topic, out var handlers))
        {
            return;
        }
        foreach (var subscriber in handlers.Values)
        {
            _ = Task.Run(async () =>
            {
                CultureInfo.CurrentCulture = subscriber.Culture;
                CultureInfo.CurrentUICulture = subscriber.UiCulture;
                try
                {
                    await subscriber.Handler(e);
                }
                catch (Exception ex)
                {
                    log.LogWarning(ex, "A live-event subscriber to {Topic} failed", e.Topic);
                }
            });
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
