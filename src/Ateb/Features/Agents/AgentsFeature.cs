using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Agents;

public sealed record AgentResponse(Guid Id, Guid AccountId, string Email, string Name, string Role, bool Active, DateTimeOffset CreatedAt);

public sealed record AddAgentRequest(string? Email, string? Name, string? Password, string? Role);

public sealed record UpdateAgentRequest(string? Role, bool? Active);

internal static class AgentsFeature
{
    public static void MapAgents(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/agents").WithTags("Agents").RequireAuthorization(Policies.Member);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> (Guid id, AtebDb db, CancellationToken ct) =>
            await db.Memberships.AsNoTracking().Include(m => m.Account).FirstOrDefaultAsync(m => m.Id == id, ct) is { } m
                ? TypedResults.Ok(ToResponse(m)) : Problems.NotFound("agent"));
        group.MapPost("/", AddAsync).RequireAuthorization(Policies.Admin);
        group.MapPatch("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.Admin);
    }

    internal static async Task<AgentResponse[]> ListAsync(AtebDb db, CancellationToken ct) =>
        [.. (await db.Memberships.AsNoTracking().Include(m => m.Account).OrderBy(m => m.CreatedAt).ToListAsync(ct)).Select(ToResponse)];

    internal static async Task<Results<Created<AgentResponse>, ProblemHttpResult>> AddAsync(
        AddAgentRequest body, Actor actor, AtebDb db, UserManager<AgentAccount> users, TimeProvider clock, CancellationToken ct)
    {
        var email = ContactAddresses.NormalizeEmail(body.Email);
        var role = Roles.FromWire(body.Role ?? "agent");
        var check = new Check().When(email is null, "email", "is not a valid email address.").Text("name", body.Name, 200)
            .Text("password", body.Password, 200)
            .When(role is null, "role", "must be light_agent, agent, admin or owner.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (role > actor.Role)
        {
            return Problems.Forbidden("You cannot grant a role above your own.");
        }
        var account = await users.FindByEmailAsync(email!);
        if (account is not null)
        {
            // The account's password was chosen by whoever created it, possibly an admin of another workspace; a seat
            // here needs the holder's consent, which takes an emailed invitation. Until then the operator's CLI adds it.
            return Problems.Conflict(await db.Memberships.AnyAsync(m => m.AccountId == account.Id, ct)
                ? "This person is already an agent of this workspace."
                : "This email already has an Ateb account. Ask the server operator to add it: ateb agents add --workspace NAME --email E --role R.");
        }
        if (string.IsNullOrEmpty(body.Password))
        {
            return Problems.Field("password", "is required for a new account.");
        }
        account = new AgentAccount { Email = email, UserName = email, DisplayName = body.Name?.Trim() ?? "", CreatedAt = clock.GetUtcNow() };
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(account, body.Password);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Problems.Conflict("This email was added at the same time by someone else.");
        }
        if (!created.Succeeded)
        {
            return IdentityProblems.From(created);
        }
        var membership = new Membership { AccountId = account.Id, Role = role!.Value, CreatedAt = clock.GetUtcNow() };
        db.Memberships.Add(membership);
        db.AuditEntries.Add(AuditEntry.For(actor, "agent", membership.Id, "added", clock.GetUtcNow(), "role", null, role.Value.ToWire()));
        await db.SaveChangesAsync(ct);
        membership.Account = account;
        return TypedResults.Created($"/api/v1/agents/{membership.Id}", ToResponse(membership));
    }

    internal static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateAgentRequest body, Actor actor, AtebDb db, TimeProvider clock, CancellationToken ct)
    {
        // Serialised per workspace, so two owners demoting each other cannot both pass the last-owner check.
        await using var transaction = await db.BeginWriteAsync(ct);
        await db.LockWorkspaceAsync(ct);
        var membership = await db.Memberships.Include(m => m.Account).FirstOrDefaultAsync(m => m.Id == id, ct);
        if (membership is null)
        {
            return Problems.NotFound("agent");
        }
        var role = body.Role is null ? membership.Role : Roles.FromWire(body.Role);
        if (role is null)
        {
            return Problems.Field("role", "must be light_agent, agent, admin or owner.");
        }
        if ((role > actor.Role || membership.Role > actor.Role))
        {
            return Problems.Forbidden("You cannot change someone whose role is above yours, nor grant more than your own.");
        }
        var losesOwner = membership.Role == Role.Owner && (role != Role.Owner || body.Active == false);
        if (losesOwner && await db.Memberships.CountAsync(m => m.Role == Role.Owner && m.Active, ct) <= 1)
        {
            return Problems.Conflict("A workspace keeps at least one active owner.");
        }
        var now = clock.GetUtcNow();
        if (role != membership.Role)
        {
            db.AuditEntries.Add(AuditEntry.For(actor, "agent", id, "updated", now, "role", membership.Role.ToWire(), role.Value.ToWire()));
            membership.Role = role.Value;
        }
        if (body.Active is { } active && active != membership.Active)
        {
            db.AuditEntries.Add(AuditEntry.For(actor, "agent", id, "updated", now, "active", membership.Active.ToString(), active.ToString()));
            membership.Active = active;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(membership));
    }

    private static AgentResponse ToResponse(Membership m) =>
        new(m.Id, m.AccountId, m.Account?.Email ?? "", m.Account?.DisplayName ?? "", m.Role.ToWire(), m.Active, m.CreatedAt);
}
