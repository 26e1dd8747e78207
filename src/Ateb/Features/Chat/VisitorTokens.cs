using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Ateb.Features.Chat;

/// <summary>What a valid visitor token says: this visitor of this workspace, since SessionStart.</summary>
public sealed record VisitorPass(Guid WorkspaceId, Guid VisitorId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset SessionStart);

/// <summary>
/// Visitor tokens: Data Protection-sealed (so every node reads them and a restart keeps them), short-lived, renewable.
/// They travel in the Authorization header or the hub's first message, never in a URL. An expired token can be traded
/// for a fresh one for the same visitor until the session is <see cref="MaxSession"/> old; after that the visitor starts
/// over (their history stays with their customer record).
/// </summary>
internal sealed class VisitorTokens(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxSession = TimeSpan.FromDays(30);

    private readonly IDataProtector _protector = protection.CreateProtector("Ateb.Chat.VisitorToken.v1");

    public VisitorToken Issue(Guid workspaceId, Guid visitorId, bool verified, DateTimeOffset? sessionStart = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + Lifetime;
        var payload = string.Join('|', workspaceId.ToString("N"), visitorId.ToString("N"), now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), (sessionStart ?? now).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return new VisitorToken(_protector.Protect(payload), expires, visitorId, verified);
    }

    /// <summary>The pass of a token that is genuine and unexpired; null otherwise.</summary>
    public VisitorPass? Read(string? token)
    {
        var pass = Unseal(token);
        return pass is not null && pass.ExpiresAt > clock.GetUtcNow() ? pass : null;
    }

    /// <summary>A pass read earlier (a hub connection's) is still within its lifetime.</summary>
    public bool StillValid(VisitorPass pass) => pass.ExpiresAt > clock.GetUtcNow();

    /// <summary>The pass of a genuine token, expired or not, whose session may still be renewed.</summary>
    public VisitorPass? ReadForRenewal(string? token)
    {
        var pass = Unseal(token);
        return pass is not null && pass.SessionStart + MaxSession > clock.GetUtcNow() ? pass : null;
    }

    /// <summary>The token in an "Authorization: Bearer ..." header, if any.</summary>
    public static string? FromHeader(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Hex HMAC-SHA256 of the host site's user id with the workspace secret, compared in constant time.</summary>
    public static bool VerifyUserHash(string secret, string userId, string? userHash)
    {
        if (string.IsNullOrEmpty(userHash) || userHash.Length != 64)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId));
        byte[] given;
        try
        {
            given = Convert.FromHexString(userHash);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private VisitorPass? Unseal(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2000)
        {
            return null;
        }
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        var parts = payload.Split('|');
        if (parts.Length != 5 || !Guid.TryParseExact(parts[0], "N", out var workspace) || !Guid.TryParseExact(parts[1], "N", out var visitor)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var issued) || !long.TryParse(parts[3], CultureInfo.InvariantCulture, out var expires)
            || !long.TryParse(parts[4], CultureInfo.InvariantCulture, out var session))
        {
            return null;
        }
        return new VisitorPass(workspace, visitor, DateTimeOffset.FromUnixTimeSeconds(issued), DateTimeOffset.FromUnixTimeSeconds(expires),
            DateTimeOffset.FromUnixTimeSeconds(session));
    }
}
