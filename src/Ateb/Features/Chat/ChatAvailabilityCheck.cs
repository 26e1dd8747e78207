using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Chat;

/// <summary>Who could take a new chat right now: agents online with chat on, their free seats, and visitors already waiting.</summary>
internal sealed record ChatCapacity(int AgentsOnline, int FreeSlots, int Waiting);

/// <summary>
/// Whether a visitor can start a chat now: the one place that decides it (the widget config, the visitor hub's Hello and
/// Send, the availability pushed to widgets). In order: chat switched off; outside the workspace's business hours (when
/// the settings use them); no agent online (chat switch on and a connection seen within <see cref="Freshness"/>, a
/// ticket-working role, a member of the routing team when one is set); the queue full (visitors waiting beyond the free
/// seats of online agents reach MaxQueue). Queries ignore the caller's workspace scope and filter by the settings'
/// workspace, so a background router can call it from any scope.
/// </summary>
internal sealed class ChatAvailabilityCheck(AtebDb db, TimeProvider clock)
{
    /// <summary>An agent connection not renewed for this long belongs to a node or browser that went away.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(60);

    public async Task<ChatAvailabilityView> CheckAsync(ChatSettingsSnapshot settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The cheap refusals need no query.
        var early = Decide(settings, now, null);
        return early.State is ChatAvailability.Disabled or ChatAvailability.OutsideHours ? early : Decide(settings, now, await CapacityAsync(settings, ct));
    }

    /// <summary>The membership ids of agents who count as online for chat in this workspace (and its routing team).</summary>
    public async Task<List<Guid>> OnlineAgentsAsync(ChatSettingsSnapshot settings, CancellationToken ct)
    {
        var workspace = settings.WorkspaceId;
        var fresh = clock.GetUtcNow() - Freshness;
        var workers = Roles.TicketWorkers;
        var statuses = db.ChatAgentStatuses.IgnoreQueryFilters().Where(s => s.WorkspaceId == workspace && s.Available)
            .Where(s => db.ChatAgentConnections.IgnoreQueryFilters().Any(c => c.WorkspaceId == workspace && c.MembershipId == s.MembershipId && c.SeenAt >= fresh))
            .Where(s => db.Memberships.IgnoreQueryFilters().Any(m => m.Id == s.MembershipId && m.WorkspaceId == workspace && m.Active && workers.Contains(m.Role)));
        if (settings.TeamId is { } team)
        {
            statuses = statuses.Where(s => db.TeamMembers.IgnoreQueryFilters().Any(t => t.TeamId == team && t.MembershipId == s.MembershipId));
        }
        return await statuses.Select(s => s.MembershipId).ToListAsync(ct);
    }

    public async Task<ChatCapacity> CapacityAsync(ChatSettingsSnapshot settings, CancellationToken ct)
    {
        var workspace = settings.WorkspaceId;
        var online = await OnlineAgentsAsync(settings, ct);
        var open = db.ChatConversations.IgnoreQueryFilters().Where(c => c.WorkspaceId == workspace && c.State != ChatState.Ended);
        var waiting = await open.CountAsync(c => c.State == ChatState.Queued || c.State == ChatState.Offered, ct);
        if (online.Count == 0)
        {
            return new(0, 0, waiting);
        }
        // An offered chat already takes a seat of the agent it is offered to.
        var held = await open.Where(c => (c.State == ChatState.Active && c.AgentId != null && online.Contains(c.AgentId.Value))
                || (c.State == ChatState.Offered && c.OfferedToId != null && online.Contains(c.OfferedToId.Value)))
            .Select(c => c.State == ChatState.Active ? c.AgentId!.Value : c.OfferedToId!.Value)
            .GroupBy(agent => agent).Select(g => new { Agent = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Agent, x => x.Count, ct);
        var free = online.Sum(agent => Math.Max(0, settings.MaxChatsPerAgent - held.GetValueOrDefault(agent)));
        return new(online.Count, free, waiting);
    }

    /// <summary>The decision itself, pure. A null capacity decides only what needs no query (Disabled, OutsideHours) and says Open otherwise.</summary>
    public static ChatAvailabilityView Decide(ChatSettingsSnapshot settings, DateTimeOffset now, ChatCapacity? capacity)
    {
        if (!settings.Enabled)
        {
            return new(ChatAvailability.Disabled, null);
        }
        if (settings.UseBusinessHours && !settings.BusinessHours.IsOpen(now, settings.Zone))
        {
            return new(ChatAvailability.OutsideHours, settings.BusinessHours.NextChange(now, settings.Zone));
        }
        if (capacity is null)
        {
            return new(ChatAvailability.Open, null);
        }
        if (capacity.AgentsOnline == 0)
        {
            return new(ChatAvailability.NoAgents, null);
        }
        // Waiting visitors fill free seats first; what is left of the queue must stay below MaxQueue for one more to join.
        var stillWaiting = Math.Max(0, capacity.Waiting - capacity.FreeSlots);
        var seatForThisOne = capacity.Waiting < capacity.FreeSlots;
        return seatForThisOne || stillWaiting < settings.MaxQueue ? new(ChatAvailability.Open, null) : new(ChatAvailability.QueueFull, null);
    }
}
