using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.CannedResponses;

public sealed record CannedResponseResponse(Guid Id, string Title, string? Shortcut, string Friendly, string Formal, string? Language, Guid? TeamId,
    Guid CreatedById, DateTimeOffset CreatedAt, Guid UpdatedById, DateTimeOffset UpdatedAt, int UseCount);

/// <summary>Query of GET /api/v1/canned-responses: q over title, shortcut and both texts; language matches the tag and its regional variants (fa: fa, fa-IR).</summary>
public sealed record ListCannedResponsesQuery(string? Q, string? Language, int? Limit);

internal static class CannedResponseRules
{
    public const int MaxTitle = 200;
    public const int MaxShortcut = 50;
    public const int MaxText = 20_000;

    /// <summary>Checks the values a response would have after the change; returns shortcut and language as stored.</summary>
    public static (string? Shortcut, string? Language) Validate(Check check, string? title, string? shortcut, string? friendly, string? formal, string? language)
    {
        var cleanShortcut = string.IsNullOrWhiteSpace(shortcut) ? null : shortcut.Trim().TrimStart('/').ToLowerInvariant();
        var tag = string.IsNullOrWhiteSpace(language) ? null : LanguageTags.Normalize(language);
        check.Text("title", title, MaxTitle, required: true)
            .When(cleanShortcut is not null && (cleanShortcut.Length is 0 or > MaxShortcut || !cleanShortcut.All(c => char.IsLetterOrDigit(c) || c is '-' or '_')),
                "shortcut", $"must be 1 to {MaxShortcut} letters, digits, - or _ (say \"refund\").")
            .Text("friendly", friendly, MaxText).Text("formal", formal, MaxText)
            .When(!string.IsNullOrWhiteSpace(language) && tag is null, "language", "is not a BCP-47 language tag such as en or fa-IR.");
        if (string.IsNullOrWhiteSpace(friendly) && string.IsNullOrWhiteSpace(formal))
        {
            check.Add("friendly", "or formal is required: give at least one wording.").Add("formal", "or friendly is required: give at least one wording.");
        }
        foreach (var (field, text) in new[] { ("friendly", friendly), ("formal", formal) })
        {
            foreach (var unknown in Placeholders.Unknown(text))
            {
                check.Add(field, unknown == "{{"
                    ? "has a \"{{\" that is not closed with \"}}\"."
                    : $"uses the unknown placeholder {unknown}; known ones are {string.Join(", ", Placeholders.Known.Select(k => "{{" + k + "}}"))}.");
            }
        }
        return (cleanShortcut, tag);
    }

    public static CannedResponseResponse ToResponse(this CannedResponse c) => new(c.Id, c.Title, c.Shortcut, c.Friendly, c.Formal, c.Language, c.TeamId,
        c.CreatedById, c.CreatedAt, c.UpdatedById, c.UpdatedAt, c.UseCount);
}

internal sealed class ListCannedResponses(AtebDb db)
{
    public async Task<Results<Ok<CannedResponseResponse[]>, ProblemHttpResult>> HandleAsync(ListCannedResponsesQuery query, CancellationToken ct)
    {
        var tag = string.IsNullOrWhiteSpace(query.Language) ? null : LanguageTags.Normalize(query.Language);
        var check = new Check().Text("q", query.Q, 200)
            .When(!string.IsNullOrWhiteSpace(query.Language) && tag is null, "language", "is not a BCP-47 language tag such as en or fa-IR.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var responses = db.CannedResponses.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var pattern = Like.Contains(query.Q.Trim().ToLowerInvariant());
            responses = responses.Where(c => EF.Functions.Like(c.Title.ToLower(), pattern, Like.Escape)
                || EF.Functions.Like(c.Shortcut!.ToLower(), pattern, Like.Escape)
                || EF.Functions.Like(c.Friendly.ToLower(), pattern, Like.Escape)
                || EF.Functions.Like(c.Formal.ToLower(), pattern, Like.Escape));
        }
        if (tag is not null)
        {
            var regional = tag + "-%";
            responses = responses.Where(c => c.Language == tag || EF.Functions.Like(c.Language!, regional));
        }
        var rows = await responses.OrderBy(c => c.Title).ThenBy(c => c.Id).Take(Math.Clamp(query.Limit ?? 100, 1, 500)).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(c => c.ToResponse()).ToArray());
    }
}

internal static class CannedResponsesFeature
{
    public static IServiceCollection AddCannedResponses(this IServiceCollection services) => services
        .AddScoped<ListCannedResponses>().AddScoped<CreateCannedResponse>().AddScoped<UpdateCannedResponse>().AddScoped<RenderCannedResponse>();

    public static void MapCannedResponses(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/canned-responses").WithTags("Canned responses").RequireAuthorization(Policies.Member);
        group.MapGet("/", ([AsParameters] ListCannedResponsesQuery query, ListCannedResponses handler, CancellationToken ct) => handler.HandleAsync(query, ct));
        group.MapGet("/{id:guid}", async Task<Results<Ok<CannedResponseResponse>, ProblemHttpResult>> (Guid id, AtebDb db, CancellationToken ct) =>
            await db.CannedResponses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } found
                ? TypedResults.Ok(found.ToResponse()) : Problems.NotFound("canned response"));
        group.MapPost("/", (CreateCannedResponseRequest body, CreateCannedResponse handler, Actor actor, CancellationToken ct) =>
            handler.HandleAsync(body, actor, ct)).RequireAuthorization(Policies.Agent);
        group.MapPatch("/{id:guid}", (Guid id, UpdateCannedResponseRequest body, UpdateCannedResponse handler, Actor actor, CancellationToken ct) =>
            handler.HandleAsync(id, body, actor, ct)).RequireAuthorization(Policies.Agent);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.Agent);
        group.MapPost("/{id:guid}/render", (Guid id, RenderCannedResponseRequest body, RenderCannedResponse handler, Actor actor, CancellationToken ct) =>
            handler.HandleAsync(id, body, actor, ct));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, Actor actor, AtebDb db, TimeProvider clock, CancellationToken ct)
    {
        var found = await db.CannedResponses.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (found is null)
        {
            return Problems.NotFound("canned response");
        }
        db.CannedResponses.Remove(found);
        db.AuditEntries.Add(Audit.AuditEntry.For(actor, "canned_response", id, "deleted", clock.GetUtcNow(), "title", found.Title, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
