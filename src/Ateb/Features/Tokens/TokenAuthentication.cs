using System.Security.Claims;
using System.Text.Encodings.Web;
using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ateb.Features.Tokens;

internal sealed class TokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AtebDb db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenClaim = "ateb:token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(ApiToken.Prefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return AuthenticateResult.Fail("Malformed token.");
        }
        var hash = ApiToken.HashOf(secret);
        // Token, seat and person in one query; ActorMiddleware trusts these claims because they were read just now.
        var token = await db.ApiTokens.IgnoreQueryFilters()
            .Where(t => t.Hash == hash)
            .Join(db.Memberships.IgnoreQueryFilters(), t => t.MembershipId, m => m.Id, (t, m) => new
            {
                t.Id, t.MembershipId, t.RevokedAt, t.ExpiresAt, t.LastUsedAt, m.AccountId, m.WorkspaceId, m.Role, m.Active,
                m.Account!.DisplayName, m.Account.Email,
            })
            .FirstOrDefaultAsync(Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (token is null || !token.Active || token.RevokedAt is not null || (token.ExpiresAt is { } expires && expires <= now))
        {
            return AuthenticateResult.Fail("Unknown, revoked or expired token.");
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(Actor.AccountClaim, token.AccountId.ToString()),
            new Claim(Actor.MembershipClaim, token.MembershipId.ToString()),
            new Claim(Actor.WorkspaceClaim, token.WorkspaceId.ToString()),
            new Claim(Roles.Claim, token.Role.ToWire()),
            new Claim(ClaimTypes.Name, string.IsNullOrEmpty(token.DisplayName) ? token.Email ?? "" : token.DisplayName),
            new Claim(TokenClaim, token.Id.ToString()),
        ], SchemeName);
        if (token.LastUsedAt is null || token.LastUsedAt < now.AddMinutes(-1))
        {
            // Once a minute at most, so busy integrations do not turn every read into a write.
            await db.WriteAsync(() => db.ApiTokens.IgnoreQueryFilters().Where(t => t.Id == token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted), Context.RequestAborted);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
