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
        var group = api.MapGroup("/tokens").WithTags("Tokens").RequireAuthorization(Policies.Member).RequireRateLimiting(RateLimits.Auth);
        group.MapGet("/", async (Actor actor, AtebDb db, CancellationToken ct) =>
            (await db.ApiTokens.AsNoTracking().Where(t => t.MembershipId == actor.MembershipId || actor.Role >= Role.Admin)
                .OrderByDescending(t => t.CreatedAt).ToListAsync(ct)).Select(t => t.ToResponse()));
        group.MapPost("/", async Task<Results<Created<TokenResponse>, ProblemHttpResult>> (CreateTokenRequest body, Actor actor, CreateToken handler, CancellationToken ct) =>
        {
            var check = new Check().Text("name", body.Name, 100, required: true)
                .When(body.ExpiresInDays is < 1 or > CreateToken.MaxExpiryDays, "expiresInDays", $"must be between 1 and {CreateToken.MaxExpiryDays}.");
            if (!check.Ok)
            {
                return check.Problem();
            }
            var token = await handler.HandleAsync(actor.MembershipId, actor.AccountId, actor.Name, body.Name!, body.ExpiresInDays ?? 365, ct);
            return TypedResults.Created($"/api/v1/tokens/{token.Id}", token);
        });
        group.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, Actor actor, AtebDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && (t.MembershipId == actor.MembershipId || actor.Role >= Role.Admin), ct);
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
        });
    }
}
