using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;

namespace Ateb.Features.Tokens;

public sealed record TokenResponse(Guid Id, string Name, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, string? Token);

/// <summary>Creates a token for one membership. The plain token is in the response once and nowhere else.</summary>
internal sealed class CreateToken(AtebDb db, TimeProvider clock)
{
    public const int MaxExpiryDays = 3650;

    public async Task<TokenResponse> HandleAsync(Guid membershipId, Guid accountId, string actorName, string name, int? expiresInDays, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var secret = ApiToken.NewSecret();
        var token = new ApiToken
        {
            MembershipId = membershipId, Name = name.Trim(), Hash = ApiToken.HashOf(secret), Hint = secret[..9], CreatedAt = now,
            ExpiresAt = expiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.ApiTokens.Add(token);
        db.AuditEntries.Add(new AuditEntry
        {
            EntityType = "token", EntityId = token.Id, ActorAccountId = accountId, ActorName = actorName, Action = "created", At = now,
            Field = "name", NewValue = token.Name,
        });
        await db.SaveChangesAsync(ct);
        return token.ToResponse(secret);
    }
}

internal static class TokenMapping
{
    public static TokenResponse ToResponse(this ApiToken t, string? secret = null) =>
        new(t.Id, t.Name, t.Hint, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, secret);
}
