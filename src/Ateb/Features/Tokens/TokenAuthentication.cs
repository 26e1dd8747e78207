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
        var token = await db.ApiTokens.IgnoreQueryFilters()
            .Where(t => t.Hash == hash)
            .Select(t => new { t.Id, t.MembershipId, t.RevokedAt, t.ExpiresAt, AccountId = db.Memberships.IgnoreQueryFilters().Where(m => m.Id == t.MembershipId).Select(m => m.AccountId).First() })
            .FirstOrDefaultAsync(Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (token is null || token.RevokedAt is not null || (token.ExpiresAt is { } expires && expires <= now))
        {
            return AuthenticateResult.Fail("Unknown, revoked or expired token.");
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(Actor.AccountClaim, token.AccountId.ToString()),
            new Claim(Actor.MembershipClaim, token.MembershipId.ToString()),
            new Claim("ateb:token", token.Id.ToString()),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
