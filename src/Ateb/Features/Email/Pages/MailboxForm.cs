namespace Ateb.Features.Email.Pages;

/// <summary>
/// The mailbox settings form's values, and the <see cref="MailboxRequest"/> they make. Secrets are write-only: the form
/// never holds a stored one, and an empty secret field leaves the stored secret as it is (null in the request).
/// Cleared text fields are sent empty, which the endpoint reads as "remove" (no IMAP server, no display name).
/// </summary>
public sealed class MailboxForm
{
    public string? Name { get; set; }
    public string? Address { get; set; }
    public string? FromName { get; set; }
    public bool Enabled { get; set; } = true;
    public bool AutoAcknowledge { get; set; }

    public string? ImapHost { get; set; }
    public int? ImapPort { get; set; } = 993;
    public MailSecurity ImapSecurity { get; set; }
    public string? ImapUser { get; set; }
    public MailAuth ImapAuth { get; set; }
    public string? ImapSecret { get; set; }
    public bool ImapHasSecret { get; private set; }
    public string? ImapFolder { get; set; } = "INBOX";

    public string? SmtpHost { get; set; }
    public int? SmtpPort { get; set; } = 587;
    public MailSecurity SmtpSecurity { get; set; }
    public string? SmtpUser { get; set; }
    public MailAuth SmtpAuth { get; set; }
    public string? SmtpSecret { get; set; }
    public bool SmtpHasSecret { get; private set; }

    public string? TrustedAuthServId { get; set; }
    public string? OAuthTokenEndpoint { get; set; }
    public string? OAuthClientId { get; set; }
    public string? OAuthClientSecret { get; set; }
    public string? OAuthRefreshToken { get; set; }
    public bool OAuthHasRefreshToken { get; private set; }

    /// <summary>Whether the advanced settings hold anything, so the page can open them.</summary>
    public bool HasAdvanced => !string.IsNullOrWhiteSpace(TrustedAuthServId) || !string.IsNullOrWhiteSpace(OAuthTokenEndpoint)
        || !string.IsNullOrWhiteSpace(OAuthClientId) || ImapAuth == MailAuth.OAuth2 || SmtpAuth == MailAuth.OAuth2;

    public static MailboxForm From(MailboxResponse m) => new()
    {
        Name = m.Name, Address = m.Address, FromName = m.FromName, Enabled = m.Enabled, AutoAcknowledge = m.AutoAcknowledge,
        ImapHost = m.Imap.Host, ImapPort = m.Imap.Port, ImapSecurity = m.Imap.Security, ImapUser = m.Imap.User, ImapAuth = m.Imap.Auth,
        ImapHasSecret = m.Imap.HasSecret, ImapFolder = m.ImapFolder,
        SmtpHost = m.Smtp.Host, SmtpPort = m.Smtp.Port, SmtpSecurity = m.Smtp.Security, SmtpUser = m.Smtp.User, SmtpAuth = m.Smtp.Auth,
        SmtpHasSecret = m.Smtp.HasSecret,
        TrustedAuthServId = m.TrustedAuthServId, OAuthTokenEndpoint = m.OAuth.TokenEndpoint, OAuthClientId = m.OAuth.ClientId,
        OAuthHasRefreshToken = m.OAuth.HasRefreshToken,
    };

    public MailboxRequest ToRequest() => new(
        Blank(Name) ? null : Name!.Trim(),
        Address?.Trim() ?? "",
        FromName ?? "",
        Enabled,
        new MailServerRequest(ImapHost ?? "", ImapPort, ImapSecurity, ImapUser ?? "", ImapAuth, Secret(ImapSecret)),
        Blank(ImapFolder) ? null : ImapFolder!.Trim(),
        new MailServerRequest(SmtpHost ?? "", SmtpPort, SmtpSecurity, SmtpUser ?? "", SmtpAuth, Secret(SmtpSecret)),
        AutoAcknowledge,
        TrustedAuthServId ?? "",
        new MailOAuthRequest(OAuthTokenEndpoint ?? "", OAuthClientId ?? "", Secret(OAuthClientSecret), Secret(OAuthRefreshToken)));

    /// <summary>After a save the typed secrets are stored: the form forgets them.</summary>
    public void ForgetSecrets() => (ImapSecret, SmtpSecret, OAuthClientSecret, OAuthRefreshToken) = (null, null, null, null);

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    // Passwords are taken as typed (spaces can be part of one); only an untouched, empty field means "keep".
    private static string? Secret(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>A mailbox at a glance, for the list.</summary>
public enum MailboxHealth
{
    /// <summary>Switched off: nothing is fetched, the pipe refuses mail.</summary>
    Disabled,
    /// <summary>The last fetch failed (its error is shown).</summary>
    Failing,
    /// <summary>No IMAP server: mail only arrives through the pipe.</summary>
    PipeOnly,
    /// <summary>An IMAP server is set but has not been fetched from yet.</summary>
    Waiting,
    Working,
}

public static class MailboxHealths
{
    public static MailboxHealth Of(MailboxResponse m) =>
        !m.Enabled ? MailboxHealth.Disabled
        : m.LastError is { Length: > 0 } ? MailboxHealth.Failing
        : string.IsNullOrWhiteSpace(m.Imap.Host) ? MailboxHealth.PipeOnly
        : m.LastPolledAt is null ? MailboxHealth.Waiting
        : MailboxHealth.Working;
}
