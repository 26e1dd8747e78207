using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.CannedResponses;

public sealed record CreateCannedResponseRequest(string? Title, string? Shortcut, string? Friendly, string? Formal, string? Language = null, Guid? TeamId = null);

/// <summary>PATCH body: absent fields are left alone; null clears shortcut, language, teamId, or a wording (the other must remain).</summary>
public sealed record UpdateCannedResponseRequest(Optional<string> Title, Optional<string?> Shortcut, Optional<string?> Friendly, Optional<string?> Formal,
    Optional<string?> Language, Optional<Guid?> TeamId);

internal sealed class CreateCannedResponse(AtebDb db, TimeProvider clock)
{
    public async Task<Results<Created<CannedResponseResponse>, ProblemHttpResult>> HandleAsync(CreateCannedResponseRequest request, Actor actor,
        CancellationToken ct)
    {
        var check = new Check();
        var (shortcut, language) = CannedResponseRules.Validate(check, request.Title, request.Shortcut, request.Friendly, request.Formal, request.Language);
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (request.TeamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct))
        {
            return Problems.NotFound("team");
        }
        var now = clock.GetUtcNow();
        var response = new CannedResponse
        {
            Title = request.Title!.Trim(), Shortcut = shortcut, Friendly = request.Friendly?.Trim() ?? "", Formal = request.Formal?.Trim() ?? "",
            Language = language, TeamId = request.TeamId, CreatedById = actor.MembershipId, UpdatedById = actor.MembershipId, CreatedAt = now, UpdatedAt = now,
        };
        db.CannedResponses.Add(response);
        db.AuditEntries.Add(AuditEntry.For(actor, "canned_response", response.Id, "created", now, "title", null, response.Title));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Problems.Conflict($"Another canned response already has the shortcut \"{shortcut}\".");
        }
        return TypedResults.Created($"/api/v1/canned-responses/{response.Id}", response.ToResponse());
    }
}

internal sealed class UpdateCannedResponse(AtebDb db, TimeProvider clock)
{
    public async Task<Results<Ok<CannedResponseResponse>, ProblemHttpResult>> HandleAsync(Guid id, UpdateCannedResponseRequest request, Actor actor,
        CancellationToken ct)
    {
        var response = await db.CannedResponses.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (response is null)
        {
            return Problems.NotFound("canned response");
        }
        static T Next<T>(Optional<T> given, T current) => given.IsSet ? given.Value! : current;
        var check = new Check().When(request.Title is { IsSet: true, Value: null }, "title", "must not be null.");
        var (shortcut, language) = CannedResponseRules.Validate(check, Next(request.Title, response.Title), Next(request.Shortcut, response.Shortcut),
            Next(request.Friendly, response.Friendly), Next(request.Formal, response.Formal), Next(request.Language, response.Language));
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (request.TeamId is { IsSet: true, Value: { } team } && !await db.Teams.AnyAsync(t => t.Id == team, ct))
        {
            return Problems.NotFound("team");
        }
        var now = clock.GetUtcNow();
        var changes = new List<AuditEntry>();
        void Set(string field, string? old, string? value, Action apply)
        {
            if (old != value)
            {
                changes.Add(AuditEntry.For(actor, "canned_response", id, "updated", now, field, old, value));
                apply();
            }
        }
        Set("title", response.Title, Next(request.Title, response.Title)!.Trim(), () => response.Title = request.Title.Value!.Trim());
        Set("shortcut", response.Shortcut, shortcut, () => response.Shortcut = shortcut);
        Set("friendly", response.Friendly, Next(request.Friendly, response.Friendly)?.Trim() ?? "", () => response.Friendly = request.Friendly.Value?.Trim() ?? "");
        Set("formal", response.Formal, Next(request.Formal, response.Formal)?.Trim() ?? "", () => response.Formal = request.Formal.Value?.Trim() ?? "");
        Set("language", response.Language, language, () => response.Language = language);
        Set("teamId", response.TeamId?.ToString(), Next(request.TeamId, response.TeamId)?.ToString(), () => response.TeamId = request.TeamId.Value);
        if (changes.Count > 0)
        {
            response.UpdatedById = actor.MembershipId;
            response.UpdatedAt = now;
            db.AuditEntries.AddRange(changes);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                return Problems.Conflict($"Another canned response already has the shortcut \"{shortcut}\".");
            }
        }
        return TypedResults.Ok(response.ToResponse());
    }
}
