using System.Collections.Concurrent;
using Ateb.Infrastructure.Realtime;

namespace Ateb.Features.Tickets;

/// <summary>An agent looking at a ticket; <see cref="Typing"/> while they write in its composer.</summary>
public sealed record TicketViewer(Guid AgentId, string Name, bool Typing);

/// <summary>
/// Who is viewing or typing in which ticket, for collision detection. Held in memory: presence is only true while
/// a circuit is connected, so a restart forgetting it is right. Typing lapses on its own a few seconds after the
/// last keystroke, so a closed laptop never leaves "is typing" behind.
/// </summary>
internal sealed class TicketPresence(LiveEvents live, TimeProvider clock)
{
    public static readonly TimeSpan TypingLapses = TimeSpan.FromSeconds(6);

    private sealed record Seat(Guid WorkspaceId, Guid AgentId, string Name, DateTimeOffset? TypedAt);

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, Seat>> _tickets = new();

    public void Enter(Guid workspaceId, Guid ticketId, string connection, Guid agentId, string name)
    {
        _tickets.GetOrAdd(ticketId, _ => new())[connection] = new Seat(workspaceId, agentId, name, null);
        Changed(workspaceId, ticketId);
    }

    public void Typing(Guid ticketId, string connection, bool typing)
    {
        if (_tickets.TryGetValue(ticketId, out var seats) && seats.TryGetValue(connection, out var seat))
        {
            var wasTyping = IsTyping(seat);
            seats[connection] = seat with { TypedAt = typing ? clock.GetUtcNow() : null };
            if (wasTyping != typing)
            {
                Changed(seat.WorkspaceId, ticketId);
            }
        }
    }

    public void Leave(Guid ticketId, string connection)
    {
        if (_tickets.TryGetValue(ticketId, out var seats) && seats.TryRemove(connection, out var seat))
        {
            if (seats.IsEmpty)
            {
                _tickets.TryRemove(new KeyValuePair<Guid, ConcurrentDictionary<string, Seat>>(ticketId, seats));
            }
            Changed(seat.WorkspaceId, ticketId);
        }
    }

    /// <summary>One line per agent (two tabs are one person), typing if any of their tabs is.</summary>
    public IReadOnlyList<TicketViewer> Viewers(Guid ticketId) =>
        !_tickets.TryGetValue(ticketId, out var seats) ? [] :
        [.. seats.Values.GroupBy(s => s.AgentId)
            .Select(g => new TicketViewer(g.Key, g.First().Name, g.Any(IsTyping)))
            .OrderBy(v => v.Name, StringComparer.CurrentCulture)];

    private bool IsTyping(Seat seat) => seat.TypedAt is { } at && clock.GetUtcNow() - at < TypingLapses;

    private void Changed(Guid workspaceId, Guid ticketId) =>
        live.Publish(new LiveEvent(LiveEvents.Ticket(ticketId), workspaceId, ticketId, "presence"));
}
