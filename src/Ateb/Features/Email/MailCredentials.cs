using System.Text.Json;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Email;

/// <summary>
/// The secret to sign in to a mailbox's IMAP or SMTP server with: the password, or the OAuth2 access token, renewed with the
/// refresh token from the provider's token endpoint when it is about to expire (or was refused), and stored encrypted.
/// </summary>
internal sealed class MailCredentials(AtebDb db, MailSecrets secrets, IHttpClientFactory http, TimeProvider clock)
{
    public const string ClientName = "oauth";
    private static readonly TimeSpan Early = TimeSpan.FromMinutes(2);

    public async Task<string> SecretAsync(Mailbox mailbox, bool smtp, bool refused, CancellationToken ct)
    {
        var auth = smtp ? mailbox.SmtpAuth : mailbox.ImapAuth;
        var current = secrets.Unprotect(smtp ? mailbox.SmtpSecretProtected : mailbox.ImapSecretProtected) ?? "";
        if (auth != MailAuth.OAuth2 || !CanRefresh(mailbox))
        {
            return current;
        }
        var expires = mailbox.OAuthAccessTokenExpiresAt;
        if (!refused && current.Length > 0 && expires is { } at && at - Early > clock.GetUtcNow())
        {
            return current;
        }
        return await RefreshAsync(mailbox, ct);
    }

    public static bool CanRefresh(Mailbox mailbox) =>
        mailbox.OAuthTokenEndpoint is not null && mailbox.OAuthClientId is not null && mailbox.OAuthRefreshTokenProtected is not null;

    private async Task<string> RefreshAsync(Mailbox mailbox, CancellationToken ct)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = secrets.Unprotect(mailbox.OAuthRefreshTokenProtected)!,
            ["client_id"] = mailbox.OAuthClientId!,
        };
        if (secrets.Unprotect(mailbox.OAuthClientSecretProtected) is { Length: > 0 } clientSecret)
        {
            form["client_secret"] = clientSecret;
        }
        using var response = await http.CreateClient(ClientName).PostAsync(mailbox.OAuthTokenEndpoint, new FormUrlEncodedContent(form), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new MailAuthenticationException($"The token endpoint refused the refresh: {(int)response.StatusCode} {Truncate.ToLength(body, 300)}");
        }
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var token = root.TryGetProperty("access_token", out var t) ? t.GetString() : null;
        if (string.IsNullOrEmpty(token))
        {
            throw new MailAuthenticationException("The token endpoint answered without an access_token.");
        }
        var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromHours(1);
        var protectedToken = secrets.Protect(token);
        // Some providers rotate the refresh token with every use.
        var refresh = root.TryGetProperty("refresh_token", out var r) && r.GetString() is { Length: > 0 } rotated
            ? secrets.Protect(rotated) : mailbox.OAuthRefreshTokenProtected;
        var expires = clock.GetUtcNow() + lifetime;
        var id = mailbox.Id;
        // Written without touching UpdatedAt: a renewed token is not a settings change, and the poller keeps its connection.
        await db.WriteAsync(() => db.Mailboxes.IgnoreQueryFilters().Where(m => m.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.ImapSecretProtected, m => m.ImapAuth == MailAuth.OAuth2 ? protectedToken : m.ImapSecretProtected)
            .SetProperty(m => m.SmtpSecretProtected, m => m.SmtpAuth == MailAuth.OAuth2 ? protectedToken : m.SmtpSecretProtected)
            .SetProperty(m => m.OAuthRefreshTokenProtected, refresh)
            .SetProperty(m => m.OAuthAccessTokenExpiresAt, expires), ct), ct);
        mailbox.OAuthAccessTokenExpiresAt = expires;
        mailbox.OAuthRefreshTokenProtected = refresh;
        return token;
    }
}

internal sealed class MailAuthenticationException(string message) : Exception(message);
