using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ateb.Features.Chat;

/// <summary>Who could take a new chat right now: agents online with chat on, their free seats, and visitors already waiting (queued, not yet offered).</summary>
internal sealed record ChatCapacity(int AgentsOnline, int FreeSlots, int Waiting);

/// <summary>
/// Whether a visitor can start a chat now: the one place that decides it (the widget config, the visitor hub's Hello and
/// Send, the availability pushed to widgets). In order: chat switched off; outside the workspace's business hours (when
/// the settings use them); no agent online (chat switch on, a connection seen within ChatOptions.OnlineFor, an active
/// seat with a ticket-working role, a member of the routing team when one is set); the queue full (visitors waiting
/// beyond the free seats of online agents reach MaxQueue). Agents at full capacity still count: a visitor then waits in
/// the queue. The snapshot overloads filter by the settings' workspace and ignore the caller's scope, so a background
/// router can call them from anywhere; the parameterless ones are for the current workspace scope.
/// </summary>
internal sealed class ChatAvailabilityCheck(AtebDb db, ChatSettingsStore store, TimeProvider clock, IOptions<ChatOptions> options)
{
    private ChatSettings? _settings;
    private Workspaces.Workspace? _workspace;

    /// <summary>The current workspace's chat settings row; defaults (not saved) until an admin changes them.</summary>
    public async Task<ChatSettings> SettingsAsync(CancellationToken ct) =>
        _settings ??= await db.ChatSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new ChatSettings { WorkspaceId = db.CurrentWorkspaceId };

    public async Task<string> SlugAsync(CancellationToken ct) =>
        (_workspace ??= await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == db.CurrentWorkspaceId, ct)).Slug;

    /// <summary>Seats of the current workspace that may take a chat now (any team): switched on, a fresh connection, an active seat that works tickets.</summary>
    public Task<List<Guid>> OnlineAgentsAsync(CancellationToken ct) => Online(db.CurrentWorkspaceId, null).ToListAsync(ct);

    /// <summary>The availability of the current workspace (through the settings cache).</summary>
    public async Task<ChatAvailabilityView> CheckAsync(CancellationToken ct) =>
        await store.GetAsync(db.CurrentWorkspaceId, ct) is { } settings ? await CheckAsync(settings, ct) : new(ChatAvailability.Disabled, null);

    public async Task<ChatAvailabilityView> CheckAsync(ChatSettingsSnapshot settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The cheap refusals need no query.
        var early = Decide(settings, now, null);
        return early.State is ChatAvailability.Disabled or ChatAvailability.OutsideHours ? early : Decide(settings, now, await CapacityAsync(settings, ct));
    }

    /// <summary>The membership ids of agents who count as online for chat in this workspace and its routing team.</summary>
    public Task<List<Guid>> OnlineAgentsAsync(ChatSettingsSnapshot settings, CancellationToken ct) => Online(settings.WorkspaceId, settings.TeamId).ToListAsync(ct);

    public async Task<ChatCapacity> CapacityAsync(ChatSettingsSnapshot settings, CancellationToken ct)
    {
        var workspace = settings.WorkspaceId;
        var online = await OnlineAgentsAsync(settings, ct);
        var open = db.ChatConversations.IgnoreQueryFilters().Where(c => c.WorkspaceId == workspace && c.State != ChatState.Ended);
        var waiting = await open.CountAsync(c => c.State == ChatState.Queued, ct);
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
        var seatForThisOne = capacity.Waiting < capacity.FreeSlots;
        var stillWaiting = Math.Max(0, capacity.Waiting - capacity.FreeSlots);
        return seatForThisOne || stillWaiting < settings.MaxQueue ? new(ChatAvailability.Open, null) : new(ChatAvailability.QueueFull, null);
    }

    private IQueryable<Guid> Online(Guid workspace, Guid? team)
    {
        var fresh = clock.GetUtcNow() - options.Value.OnlineFor;
        var workers = Roles.TicketWorkers;
        var statuses = db.ChatAgentStatuses.IgnoreQueryFilters().AsNoTracking().Where(s => s.WorkspaceId == workspace && s.Available)
            .Where(s => db.ChatAgentConnections.IgnoreQueryFilters().Any(c => c.WorkspaceId == workspace && c.MembershipId == s.MembershipId && c.SeenAt > fresh))
            .Where(s => db.Memberships.IgnoreQueryFilters().Any(m => m.Id == s.MembershipId && m.WorkspaceId == workspace && m.Active && workers.Contains(m.Role)));
        if (team is { } routing)
        {
            statuses = statuses.Where(s => db.TeamMembers.IgnoreQueryFilters().Any(t => t.TeamId == routing && t.MembershipId == s.MembershipId));
        }
        return statuses.Select(s => s.MembershipId);
    }
}
