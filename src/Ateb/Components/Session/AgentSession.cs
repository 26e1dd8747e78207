using System.Security.Claims;
using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Components.Session;

/// <summary>Who the signed-in agent is, for one circuit: read from the database once, like the API reads it per request.</summary>
public sealed record AgentProfile(Actor Actor, string Email, string Language, string? TimeZone, AgentCalendar? Calendar, string WorkspaceName, string WorkspaceTimeZone);

/// <summary>
/// The agent's session inside one Blazor circuit. A circuit lives for hours, so it never holds a DbContext: every
/// operation runs the same handler the API runs, in a fresh DI scope entered into the agent's workspace.
/// </summary>
internal sealed class AgentSession(AuthenticationStateProvider auth, IServiceScopeFactory scopes)
{
    private AgentProfile? _profile;

    public AgentProfile Profile => _profile ?? throw new InvalidOperationException("The session is not loaded yet.");

    public Actor Actor => Profile.Actor;

    /// <summary>Dates and times in the agent's calendar, digits and time zone.</summary>
    public AgentClock Clock => _clock ??= MakeClock(Profile);

    private AgentClock? _clock;

    private static AgentClock MakeClock(AgentProfile p)
    {
        var zone = Zone(p.TimeZone) ?? Zone(p.WorkspaceTimeZone) ?? TimeZoneInfo.Utc;
        var calendar = p.Calendar ?? AgentClock.DefaultCalendar(p.Language);
        return new AgentClock(p.Language, calendar, zone);
    }

    private static TimeZoneInfo? Zone(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    public bool IsLoaded => _profile is not null;

    /// <summary>Loads the agent behind the cookie; null when the seat is gone (the caller then signs them out).</summary>
    public async Task<AgentProfile?> LoadAsync(CancellationToken ct = default)
    {
        if (_profile is not null)
        {
            return _profile;
        }
        var user = (await auth.GetAuthenticationStateAsync()).User;
        await using var scope = scopes.CreateAsyncScope();
        _profile = await FindAsync(scope.ServiceProvider.GetRequiredService<AtebDb>(), user, ct);
        return _profile;
    }

    /// <summary>
    /// Reads the agent and workspace again and forgets the clock made from them: after the agent's time zone or calendar,
    /// or the workspace's name or zone, change. <see cref="Changed"/> then tells the layout to render again.
    /// </summary>
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        var user = (await auth.GetAuthenticationStateAsync()).User;
        await using var scope = scopes.CreateAsyncScope();
        if (await FindAsync(scope.ServiceProvider.GetRequiredService<AtebDb>(), user, ct) is { } fresh)
        {
            (_profile, _clock) = (fresh, null);
            Changed?.Invoke();
        }
    }

    /// <summary>Raised after <see cref="ReloadAsync"/> read new settings.</summary>
    public event Action? Changed;

    public static async Task<AgentProfile?> FindAsync(AtebDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Guid.TryParse(user.FindFirstValue(Actor.MembershipClaim), out var seat)
            || !Guid.TryParse(user.FindFirstValue(Actor.AccountClaim), out var account))
        {
            return null;
        }
        var found = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.Id == seat && m.AccountId == account && m.Active)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new
            {
                m.WorkspaceId, m.Role, m.Account!.DisplayName, m.Account.Email, m.Account.Language, m.Account.TimeZone, m.Account.Calendar, WorkspaceName = w.Name, WorkspaceZone = w.TimeZone,
            })
            .FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }
        var name = string.IsNullOrEmpty(found.DisplayName) ? found.Email ?? "" : found.DisplayName;
        return new AgentProfile(new Actor(account, seat, found.WorkspaceId, found.Role, name), found.Email ?? "", found.Language, found.TimeZone, found.Calendar,
            found.WorkspaceName, found.WorkspaceZone);
    }

    /// <summary>Runs <paramref name="work"/> with a handler (or any scoped service) in the agent's workspace.</summary>
    public async Task<T> RunAsync<THandler, T>(Func<THandler, Actor, Task<T>> work) where THandler : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(Actor.WorkspaceId);
        return await work(scope.ServiceProvider.GetRequiredService<THandler>(), Actor);
    }

    /// <summary>For endpoints written as static methods: resolve what they need from the scope.</summary>
    public async Task<T> RunScopedAsync<T>(Func<IServiceProvider, Actor, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(Actor.WorkspaceId);
        return await work(scope.ServiceProvider, Actor);
    }

    /// <summary>Calls an API handler and unwraps its typed result: <c>CallAsync&lt;GetTicket, X&gt;(async (h, a) =&gt; await h.HandleAsync(...))</c>.</summary>
    public async Task<Outcome<T>> CallAsync<THandler, T>(Func<THandler, Actor, Task<Microsoft.AspNetCore.Http.INestedHttpResult>> work) where THandler : notnull =>
        (await RunAsync(work)).Unwrap<T>();

    /// <summary>Agents and teams by id, for names and pickers; read once per circuit, refreshed on demand.</summary>
    public async Task<WorkspaceDirectory> DirectoryAsync(bool refresh = false)
    {
        if (_directory is null || refresh)
        {
            _directory = await QueryAsync(WorkspaceDirectory.LoadAsync);
        }
        return _directory;
    }

    private WorkspaceDirectory? _directory;

    /// <summary>For reads a page makes straight from the database (projections to view models).</summary>
    public Task<T> QueryAsync<T>(Func<AtebDb, Task<T>> read) => RunAsync<AtebDb, T>((db, _) => read(db));
}
