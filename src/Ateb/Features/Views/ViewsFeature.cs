using System.Collections.Concurrent;
using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Views;

/// <summary>A standard inbox view: its id doubles as the query string for GET /api/v1/tickets.</summary>
public sealed record ViewCount(string Id, string Name, string Query, long Count);

internal sealed record CountGroup(TicketStatus Status, TicketPriority Priority, Channel Channel, Guid? TeamId, Guid? AssigneeId, long Count);

internal sealed record CountSnapshot(IReadOnlyList<CountGroup> Groups, long Solved, IReadOnlyList<(Guid Id, string Name)> Teams);

/// <summary>
/// The standard views and their counts for one agent. Counting the unsolved tickets of a large desk is one grouped
/// scan of a covering index (about 100 ms at a million tickets on a small machine), too much to repeat for every
/// agent's every page view, so all agents of a workspace share one snapshot, refreshed in the background when it
/// is older than <see cref="ViewCountSnapshots.FreshFor"/>; "mine" is worked out from it per agent.
/// </summary>
internal sealed class CountViews(AtebDb db, ViewCountSnapshots snapshots)
{
    internal static readonly TicketStatus[] Unsolved = [TicketStatus.New, TicketStatus.Open, TicketStatus.Pending, TicketStatus.OnHold];
    private static readonly Channel[] Channels = [Channel.Email, Channel.Chat, Channel.WhatsApp, Channel.Phone, Channel.WebForm, Channel.Api];

    public async Task<ViewCount[]> HandleAsync(Actor actor, CancellationToken ct)
    {
        var snapshot = await snapshots.GetAsync(db.CurrentWorkspaceId, ct);
        var groups = snapshot.Groups;
        long Count(Func<CountGroup, bool> where) => groups.Where(where).Sum(g => g.Count);
        const string unsolved = "status=new,open,pending,on_hold";
        var views = new List<ViewCount>
        {
            new("mine", "Your unsolved tickets", unsolved + "&assignee=me", Count(g => g.AssigneeId == actor.MembershipId)),
            new("unassigned", "Unassigned tickets", unsolved + "&assignee=none", Count(g => g.AssigneeId == null)),
            new("unsolved", "All unsolved tickets", unsolved, Count(_ => true)),
        };
        views.AddRange(Unsolved.Select(s => new ViewCount(s.ToWire(), s.ToWire(), "status=" + s.ToWire(), Count(g => g.Status == s))));
        views.Add(new("urgent", "Urgent and high priority", unsolved + "&priority=urgent,high", Count(g => g.Priority is TicketPriority.Urgent or TicketPriority.High)));
        views.AddRange(Channels.Select(c => new ViewCount("channel-" + Wire(c), c.ToString(), unsolved + "&channel=" + Wire(c), Count(g => g.Channel == c))));
        views.AddRange(snapshot.Teams.Select(t => new ViewCount("team-" + t.Id, t.Name, unsolved + "&team=" + t.Id, Count(g => g.TeamId == t.Id))));
        views.Add(new("solved", "Solved tickets", "status=solved", snapshot.Solved));
        return [.. views];
    }

    /// <summary>One grouped scan that follows IX_Tickets_ViewCounts column for column, so it never touches the table.</summary>
    public static async Task<CountSnapshot> ComputeAsync(AtebDb db, CancellationToken ct)
    {
        var groups = await db.Tickets.AsNoTracking()
            .Where(t => Unsolved.Contains(t.Status))
            .GroupBy(t => new { t.Status, t.Priority, t.Channel, t.TeamId, t.AssigneeId })
            .Select(g => new CountGroup(g.Key.Status, g.Key.Priority, g.Key.Channel, g.Key.TeamId, g.Key.AssigneeId, g.LongCount()))
            .ToListAsync(ct);
        var solved = await db.Tickets.AsNoTracking().LongCountAsync(t => t.Status == TicketStatus.Solved, ct);
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).Take(5).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        return new CountSnapshot(groups, solved, [.. teams.Select(t => (t.Id, t.Name))]);
    }

    private static string Wire(Channel channel) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(channel.ToString());
}

/// <summary>
/// Per-workspace count snapshots with stale-while-refresh: one computation at a time per workspace. A ticket change
/// marks the snapshot stale; while agents are watching (someone subscribes to the counts topic) it is recomputed after
/// a short pause that gathers a burst of changes into one scan, and the new counts are pushed to them.
/// </summary>
internal sealed class ViewCountSnapshots : IDisposable
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(300);

    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider clock;
    private readonly ILogger<ViewCountSnapshots> log;
    private readonly LiveEvents live;
    private readonly IDisposable _subscription;
    private readonly ConcurrentDictionary<Guid, byte> _dirty = new();

    public ViewCountSnapshots(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ViewCountSnapshots> log, LiveEvents live)
    {
        this.scopes = scopes;
        this.clock = clock;
        this.log = log;
        this.live = live;
        _subscription = live.Subscribe(LiveEvents.AllTickets, e => ChangedAsync(e.WorkspaceId));
    }

    public void Dispose() => _subscription.Dispose();

    /// <summary>One push per burst: the first change waits <see cref="Gather"/>, later ones in that window ride along.</summary>
    private async Task ChangedAsync(Guid workspaceId)
    {
        if (!_entries.TryGetValue(workspaceId, out var entry) || live.SubscriberCount(LiveEvents.Counts(workspaceId)) == 0)
        {
            _entries.TryRemove(workspaceId, out _);
            return;
        }
        if (!_dirty.TryAdd(workspaceId, 0))
        {
            return;
        }
        await Task.Delay(Gather, clock);
        _dirty.TryRemove(workspaceId, out _);
        var next = await ComputeAsync(workspaceId);
        entry.Current = Task.FromResult(next);
        entry.At = clock.GetUtcNow();
        live.Publish(new LiveEvent(LiveEvents.Counts(workspaceId), workspaceId));
    }

    private sealed class Entry
    {
        public required Task<CountSnapshot> Current;
        public DateTimeOffset At;
        public int Refreshing;
    }

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public async Task<CountSnapshot> GetAsync(Guid workspaceId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var entry = _entries.GetOrAdd(workspaceId, id => new Entry { Current = ComputeAsync(id), At = now });
        if (entry.Current.IsCompletedSuccessfully && now - entry.At > FreshFor && Interlocked.Exchange(ref entry.Refreshing, 1) == 0)
        {
            _ = RefreshAsync(workspaceId, entry);
        }
        if (entry.Current.IsFaulted)
        {
            _entries.TryRemove(workspaceId, out _);
        }
        return await entry.Current.WaitAsync(ct);
    }

    private async Task RefreshAsync(Guid workspaceId, Entry entry)
    {
        try
        {
            var next = await ComputeAsync(workspaceId);
            entry.Current = Task.FromResult(next);
            entry.At = clock.GetUtcNow();
        }
        catch (Exception e)
        {
            log.LogWarning(e, "View counts refresh failed for {Workspace}", workspaceId);
        }
        finally
        {
            Interlocked.Exchange(ref entry.Refreshing, 0);
        }
    }

    private async Task<CountSnapshot> ComputeAsync(Guid workspaceId)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        return await CountViews.ComputeAsync(scope.ServiceProvider.GetRequiredService<AtebDb>(), CancellationToken.None);
    }
}

internal static class ViewsFeature
{
    public static IServiceCollection AddViews(this IServiceCollection services) =>
        services.AddScoped<CountViews>().AddSingleton<ViewCountSnapshots>().AddSavedViews();

    public static void MapViews(this IEndpointRouteBuilder api)
    {
        var views = api.MapGroup("/views").WithTags("Views").RequireAuthorization(Policies.Member);
        views.MapGet("/", (CountViews handler, Actor actor, CancellationToken ct) => handler.HandleAsync(actor, ct));
        views.MapSavedViews();
    }
}
