using System.Security.Claims;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tokens;

public sealed record CreateTokenRequest(string? Name, int? ExpiresInDays);

internal static class TokensFeature
{
    public static IServiceCollection AddTokens(this IServiceCollection services)
    {
        services.AddScoped<CreateToken>();
        return services;
    }

    public static AuthenticationBuilder AddApiTokens(this AuthenticationBuilder builder) =>
        builder.AddScheme<AuthenticationSchemeOptions, TokenAuthentication>(TokenAuthentication.SchemeName, null);

    public static void MapTokens(this IEndpointRouteBuilder api)
    {
        // A person manages their own tokens in this workspace; admins may list and revoke everyone's.
        var group = api.MapGroup("/tokens").WithTags("Tokens").RequireAuthorization(Policies.Member).RequireRateLimiting(RateLimits.Tokens);
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapDelete("/{id:guid}", RevokeAsync);
    }

    internal static async Task<TokenResponse[]> ListAsync(Actor actor, AtebDb db, CancellationToken ct) =>
        [.. (await Manageable(db, actor).OrderByDescending(t => t.CreatedAt).ToListAsync(ct)).Select(t => t.ToResponse())];

    internal static async Task<Results<Created<TokenResponse>, ProblemHttpResult>> CreateAsync(CreateTokenRequest body, Actor actor, CreateToken handler,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.HasClaim(c => c.Type == TokenAuthentication.TokenClaim))
        {
            // Otherwise a short-lived or soon-revoked token could mint itself a long-lived successor.
            return Problems.Forbidden("Create tokens from a signed-in session or with the CLI, not with another token.");
        }
        var check = new Check().Text("name", body.Name, 100, required: true)
            .When(body.ExpiresInDays is < 1 or > CreateToken.MaxExpiryDays, "expiresInDays", $"must be between 1 and {CreateToken.MaxExpiryDays}.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var token = await handler.HandleAsync(actor.MembershipId, actor.AccountId, actor.Name, body.Name!, body.ExpiresInDays ?? 365, ct);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", token);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid id, Actor actor, AtebDb db, TimeProvider clock, CancellationToken ct)
    {
        var token = await Manageable(db, actor).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (token is null)
        {
            return Problems.NotFound("token");
        }
        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            db.AuditEntries.Add(AuditEntry.For(actor, "token", token.Id, "revoked", token.RevokedAt.Value));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    /// <summary>Your own tokens; admins also those of people whose role is not above theirs.</summary>
    private static IQueryable<ApiToken> Manageable(AtebDb db, Actor actor)
    {
        var below = actor.Role >= Role.Admin ? Roles.UpTo(actor.Role) : [];
        return db.ApiTokens.Where(t => t.MembershipId == actor.MembershipId || db.Memberships.Any(m => m.Id == t.MembershipId && below.Contains(m.Role)));
    }
}
