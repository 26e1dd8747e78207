using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Realtime;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Teams;

public sealed record CreateTeamRequest(string? Name);

public sealed record TeamMemberRequest(Guid? AgentId);

public sealed record TeamResponse(Guid Id, string Name, Guid[] MemberIds, DateTimeOffset CreatedAt);

internal static class TeamsFeature
{
    public static void MapTeams(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/teams").WithTags("Teams").RequireAuthorization(Policies.Member);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.Admin);
        group.MapPost("/{id:guid}/members", AddMemberAsync).RequireAuthorization(Policies.Admin);
        group.MapDelete("/{id:guid}/members/{agentId:guid}", RemoveMemberAsync).RequireAuthorization(Policies.Admin);
    }

    internal static async Task<TeamResponse[]> ListAsync(AtebDb db, CancellationToken ct)
    {
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        var members = await db.TeamMembers.AsNoTracking().ToListAsync(ct);
        return [.. teams.Select(t => new TeamResponse(t.Id, t.Name, [.. members.Where(m => m.TeamId == t.Id).Select(m => m.MembershipId)], t.CreatedAt))];
    }

    private static async Task<Results<Ok<TeamResponse>, ProblemHttpResult>> GetAsync(Guid id, AtebDb db, CancellationToken ct)
    {
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return Problems.NotFound("team");
        }
        var members = await db.TeamMembers.AsNoTracking().Where(m => m.TeamId == id).Select(m => m.MembershipId).ToArrayAsync(ct);
        return TypedResults.Ok(new TeamResponse(team.Id, team.Name, members, team.CreatedAt));
    }

    internal static async Task<Results<Created<TeamResponse>, ProblemHttpResult>> CreateAsync(CreateTeamRequest body, Actor actor, AtebDb db,
        TimeProvider clock, LiveEvents live, CancellationToken ct)
    {
        var check = new Check().Text("name", body.Name, 100, required: true);
        if (!check.Ok)
        {
            return check.Problem();
        }
        var team = new Team { Name = body.Name!.Trim(), CreatedAt = clock.GetUtcNow() };
        db.Teams.Add(team);
        db.AuditEntries.Add(Audit.AuditEntry.For(actor, "team", team.Id, "created", team.CreatedAt, "name", null, team.Name));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Problems.Conflict("A team with this name already exists.");
        }
        Announce(live, actor.WorkspaceId, ticketsMoved: false);
        return TypedResults.Created($"/api/v1/teams/{team.Id}", new TeamResponse(team.Id, team.Name, [], team.CreatedAt));
    }

    /// <summary>The team's tickets stay where they are, with no team; its members keep their seats.</summary>
    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, Actor actor, AtebDb db, TimeProvider clock, LiveEvents live,
        CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return Problems.NotFound("team");
        }
        await using var transaction = await db.BeginWriteAsync(ct);
        var moved = await db.Tickets.Where(t => t.TeamId == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.TeamId, (Guid?)null), ct);
        await db.TeamMembers.Where(m => m.TeamId == id).ExecuteDeleteAsync(ct);
        db.Teams.Remove(team);
        db.AuditEntries.Add(Audit.AuditEntry.For(actor, "team", id, "deleted", clock.GetUtcNow(), "name", team.Name, null));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Announce(live, actor.WorkspaceId, ticketsMoved: moved > 0);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Teams are views in the inbox's navigation, counted with the tickets: a new or deleted team has them counted again.
    /// Tickets that lost their team were changed in bulk, past the change feed, so open inboxes are told here.
    /// </summary>
    private static void Announce(LiveEvents live, Guid workspaceId, bool ticketsMoved)
    {
        live.Publish(new LiveEvent(LiveEvents.AllTickets, workspaceId, null, "teams"));
        if (ticketsMoved)
        {
            live.Publish(new LiveEvent(LiveEvents.Tickets(workspaceId), workspaceId, null, "teams"));
        }
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> AddMemberAsync(Guid id, TeamMemberRequest body, Actor actor, AtebDb db,
        TimeProvider clock, CancellationToken ct)
    {
        if (body.AgentId is not { } agentId)
        {
            return Problems.Field("agentId", "is required.");
        }
        if (!await db.Teams.AnyAsync(t => t.Id == id, ct))
        {
            return Problems.NotFound("team");
        }
        if (!await db.Memberships.AnyAsync(m => m.Id == agentId, ct))
        {
            return Problems.NotFound("agent");
        }
        if (!await db.TeamMembers.AnyAsync(m => m.TeamId == id && m.MembershipId == agentId, ct))
        {
            db.TeamMembers.Add(new TeamMember { TeamId = id, MembershipId = agentId });
            db.AuditEntries.Add(Audit.AuditEntry.For(actor, "team", id, "member_added", clock.GetUtcNow(), "members", null, agentId.ToString()));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Added concurrently: already a member, as asked.
            }
        }
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveMemberAsync(Guid id, Guid agentId, Actor actor, AtebDb db, TimeProvider clock,
        CancellationToken ct)
    {
        var member = await db.TeamMembers.FirstOrDefaultAsync(m => m.TeamId == id && m.MembershipId == agentId, ct);
        if (member is null)
        {
            return Problems.NotFound("team member");
        }
        db.TeamMembers.Remove(member);
        db.AuditEntries.Add(Audit.AuditEntry.For(actor, "team", id, "member_removed", clock.GetUtcNow(), "members", agentId.ToString(), null));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
