using Ateb.Features.Tickets;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Ateb.Components.Session;

/// <summary>
/// Ties an agent's presence on tickets to their circuit's connection: when the browser goes away (tab closed, network
/// lost) presence clears at once instead of when the circuit is finally discarded minutes later; if the connection
/// comes back, so does the presence.
/// </summary>
internal sealed class CircuitPresence(TicketPresence presence) : CircuitHandler
{
    private readonly string _connection = Guid.NewGuid().ToString("N");
    private readonly Dictionary<Guid, (Guid WorkspaceId, Guid AgentId, string Name)> _viewing = [];
    private readonly Lock _gate = new();

    public void Enter(Guid workspaceId, Guid ticketId, Guid agentId, string name)
    {
        lock (_gate)
        {
            _viewing[ticketId] = (workspaceId, agentId, name);
        }
        presence.Enter(workspaceId, ticketId, _connection, agentId, name);
    }

    public void Typing(Guid ticketId, bool typing) => presence.Typing(ticketId, _connection, typing);

    public void Leave(Guid ticketId)
    {
        lock (_gate)
        {
            _viewing.Remove(ticketId);
        }
        presence.Leave(ticketId, _connection);
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        foreach (var ticketId in Snapshot().Keys)
        {
            presence.Leave(ticketId, _connection);
        }
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        foreach (var (ticketId, seat) in Snapshot())
        {
            presence.Enter(seat.WorkspaceId, ticketId, _connection, seat.AgentId, seat.Name);
        }
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken) =>
        OnConnectionDownAsync(circuit, cancellationToken);

    private Dictionary<Guid, (Guid WorkspaceId, Guid AgentId, string Name)> Snapshot()
    {
        lock (_gate)
        {
            return new(_viewing);
        }
    }
}
