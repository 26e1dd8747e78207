using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ateb.Features.Chat;

/// <summary>Wakes the router now rather than at its next tick (a chat waiting, an agent free).</summary>
internal sealed class ChatRouterSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // already awake
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}

/// <summary>An agent who could take a chat: how many they hold (active plus offered) and when they last took one.</summary>
internal sealed record ChatCandidate(Guid SeatId, int Load, DateTimeOffset? LastAccepted, IReadOnlySet<Guid> Teams);

/// <summary>The routing decisions, pure: who gets a waiting chat, and how a chat goes back to the queue.</summary>
internal static class ChatRouting
{
    /// <summary>
    /// The least-loaded free agent (in the chat's team, when it has one), the one who took a chat longest ago first;
    /// agents who declined or let this chat's offer lapse come last, and only when nobody else is free.
    /// </summary>
    public static Guid? Choose(Guid? teamId, IReadOnlyCollection<Guid> declined, IEnumerable<ChatCandidate> candidates, int maxChats)
    {
        var free = candidates.Where(c => c.Load < maxChats && (teamId is null || c.Teams.Contains(teamId.Value))).ToList();
        return free.OrderBy(c => declined.Contains(c.SeatId)).ThenBy(c => c.Load).ThenBy(c => c.LastAccepted ?? DateTimeOffset.MinValue).ThenBy(c => c.SeatId)
            .Select(c => (Guid?)c.SeatId).FirstOrDefault();
    }

    /// <summary>Back in the queue, keeping its place (QueuedAt); an offer's agent is remembered as having passed.</summary>
    public static void Requeue(ChatConversation chat, Guid? declinedBy)
    {
        if (declinedBy is { } seat && !chat.DeclinedIds().Contains(seat))
        {
            chat.Declined = chat.Declined.Length == 0 ? seat.ToString() : $"{chat.Declined},{seat}";
            if (chat.Declined.Length > 3900)
            {
                chat.Declined = seat.ToString();
            }
        }
        chat.State = ChatState.Queued;
        chat.AgentId = null;
        chat.OfferedToId = null;
        chat.OfferExpiresAt = null;
        chat.Version++;
    }
}

/// <summary>
/// Offers waiting chats to free agents, withdraws offers nobody accepted in time, and puts back the chats of agents
/// who disconnected. Every node runs it; the conversations' version column makes two nodes' passes safe (the loser
/// of a race just tries again next pass).
/// </summary>
internal sealed class ChatRouter(IServiceScopeFactory scopes, ChatRouterSignal signal, IOptions<ChatOptions> options, ILogger<ChatRouter> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(options.Value.RouterTick, stoppingToken);
                await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "A chat routing pass failed; trying again");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    public async Task PassAsync(CancellationToken ct)
    {
        List<Guid> workspaces;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
            workspaces = await db.ChatConversations.IgnoreQueryFilters().Where(c => c.State != ChatState.Ended)
                .Select(c => c.WorkspaceId).Distinct().ToListAsync(ct);
        }
        foreach (var workspace in workspaces)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspace);
            try
            {
                await scope.ServiceProvider.GetRequiredService<ChatRoutingPass>().RunAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another node routed the same chat a moment ago; its decision stands.
            }
        }
    }
}

/// <summary>One workspace's routing pass.</summary>
internal sealed class ChatRoutingPass(AtebDb db, ChatAvailabilityCheck availability, ChatBroadcast broadcast, TimeProvider clock, IOptions<ChatOptions> options)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var settings = await availability.SettingsAsync(ct);
        var fresh = now - options.Value.OnlineFor;
        var connected = (await db.ChatAgentConnections.AsNoTracking().Where(c => c.SeenAt > fresh).Select(c => c.MembershipId).Distinct().ToListAsync(ct)).ToHashSet();
        var available = (await availability.OnlineAgentsAsync(ct)).ToHashSet();
        var live = await db.ChatConversations.Where(c => c.State != ChatState.Ended).OrderBy(c => c.QueuedAt).ThenBy(c => c.Id).Take(2000).ToListAsync(ct);

        var changed = new List<ChatConversation>();
        var withdrawn = new List<(Guid Seat, Guid Chat)>();
        var dropped = new List<(ChatConversation Chat, Message Note)>();
        foreach (var chat in live)
        {
            if (chat.State == ChatState.Offered && chat.OfferedToId is { } offeree && (chat.OfferExpiresAt < now || !connected.Contains(offeree)))
            {
                withdrawn.Add((offeree, chat.Id));
                ChatRouting.Requeue(chat, declinedBy: offeree);
                changed.Add(chat);
            }
            else if (chat.State == ChatState.Active && chat.AgentId is { } holder && !connected.Contains(holder))
            {
                ChatRouting.Requeue(chat, declinedBy: null);
                var note = new Message
                {
                    TicketId = chat.TicketId, AuthorKind = AuthorKind.System, Channel = Channel.Chat, Direction = Direction.Outbound, IsPublic = true,
                    BodyText = "The agent was disconnected. We are finding someone else to help you.", CreatedAt = now,
                };
                db.Messages.Add(note);
                dropped.Add((chat, note));
                changed.Add(chat);
            }
        }

        var loads = live.Where(c => c.State is ChatState.Active or ChatState.Offered)
            .GroupBy(c => c.State == ChatState.Active ? c.AgentId : c.OfferedToId).Where(g => g.Key is not null)
            .ToDictionary(g => g.Key!.Value, g => g.Count());
        var offered = new List<ChatConversation>();
        var queued = live.Where(c => c.State == ChatState.Queued).ToList();
        if (queued.Count > 0 && available.Count > 0)
        {
            var seats = available.ToList();
            var since = now.AddDays(-1);
            var lastAccepted = await db.ChatConversations.AsNoTracking().Where(c => c.AgentId != null && c.AcceptedAt > since && seats.Contains(c.AgentId.Value))
                .GroupBy(c => c.AgentId!.Value).Select(g => new { g.Key, Last = g.Max(c => c.AcceptedAt) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
            var teams = (await db.TeamMembers.AsNoTracking().Where(m => seats.Contains(m.MembershipId)).Select(m => new { m.MembershipId, m.TeamId }).ToListAsync(ct))
                .GroupBy(m => m.MembershipId).ToDictionary(g => g.Key, g => (IReadOnlySet<Guid>)g.Select(m => m.TeamId).ToHashSet());
            foreach (var chat in queued)
            {
                var candidates = seats.Select(s => new ChatCandidate(s, loads.GetValueOrDefault(s), lastAccepted.GetValueOrDefault(s),
                    teams.GetValueOrDefault(s) ?? new HashSet<Guid>()));
                if (ChatRouting.Choose(chat.TeamId, chat.DeclinedIds().ToHashSet(), candidates, settings.MaxChatsPerAgent) is not { } seat)
                {
                    continue;
                }
                chat.State = ChatState.Offered;
                chat.OfferedToId = seat;
                chat.OfferExpiresAt = now.AddSeconds(settings.OfferSeconds);
                chat.Version++;
                loads[seat] = loads.GetValueOrDefault(seat) + 1;
                offered.Add(chat);
                if (!changed.Contains(chat))
                {
                    changed.Add(chat);
                }
            }
        }
        if (changed.Count == 0)
        {
            return;
        }
        await db.SaveChangesAsync(ct);

        foreach (var (seat, chat) in withdrawn)
        {
            await broadcast.OfferWithdrawnAsync(seat, chat, ct);
        }
        foreach (var (chat, note) in dropped)
        {
            var customer = await db.Tickets.AsNoTracking().Where(t => t.Id == chat.TicketId).Select(t => t.RequesterId).FirstAsync(ct);
            await broadcast.MessageAsync(chat, customer, note.Id, ct);
        }
        foreach (var chat in offered)
        {
            await broadcast.OfferAsync(chat, ct);
        }
        foreach (var chat in changed)
        {
            await broadcast.ChangedAsync(chat, ct);
        }
        // Everyone still waiting may have moved up.
        await broadcast.QueueMovedAsync([.. live.Where(c => c.State is ChatState.Queued or ChatState.Offered && !changed.Contains(c))], ct);
    }
}
