using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Email;

/// <summary>How a connection is secured: SSL/TLS from the first byte, STARTTLS, or none (only sensible on loopback).</summary>
public enum MailSecurity { Auto, SslOnConnect, StartTls, None }

/// <summary>Password, or an OAuth2 access token (XOAUTH2, as Gmail and Microsoft 365 require).</summary>
public enum MailAuth { Password, OAuth2 }

/// <summary>
/// A support address: where customers' mail is fetched from (IMAP, or piped over HTTP) and replies leave through (SMTP).
/// Secrets are stored only in Data Protection's encrypted form.
/// </summary>
internal sealed class Mailbox : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    /// <summary>The address customers write to and replies come from.</summary>
    public required string Address { get; set; }
    /// <summary>The display name on outgoing mail, e.g. the brand.</summary>
    public string? FromName { get; set; }
    public bool Enabled { get; set; } = true;

    public string? ImapHost { get; set; }
    public int ImapPort { get; set; } = 993;
    public MailSecurity ImapSecurity { get; set; } = MailSecurity.Auto;
    public string? ImapUser { get; set; }
    public MailAuth ImapAuth { get; set; }
    public string? ImapSecretProtected { get; set; }
    public string ImapFolder { get; set; } = "INBOX";

    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public MailSecurity SmtpSecurity { get; set; } = MailSecurity.Auto;
    public string? SmtpUser { get; set; }
    public MailAuth SmtpAuth { get; set; }
    public string? SmtpSecretProtected { get; set; }

    /// <summary>
    /// OAuth2 refresh (Gmail, Microsoft 365): with these set, the access token (the IMAP/SMTP secret when auth is OAuth2) is
    /// renewed from the provider's token endpoint before it expires, or when the server refuses it.
    /// </summary>
    public string? OAuthTokenEndpoint { get; set; }
    public string? OAuthClientId { get; set; }
    public string? OAuthClientSecretProtected { get; set; }
    public string? OAuthRefreshTokenProtected { get; set; }
    public DateTimeOffset? OAuthAccessTokenExpiresAt { get; set; }

    /// <summary>SHA-256 of the secret that lets an MTA or forwarding service post raw mail to this mailbox.</summary>
    public string? PipeSecretHash { get; set; }
    /// <summary>Only Authentication-Results from this server (authserv-id) are believed; null believes the topmost one.</summary>
    public string? TrustedAuthServId { get; set; }
    /// <summary>Send an automatic "we got your message" with the ticket number when a mail opens a ticket.</summary>
    public bool AutoAcknowledge { get; set; }

    // Sync state, written only by the poller.
    public uint? UidValidity { get; set; }
    public uint LastUid { get; set; }
    public DateTimeOffset? LastPolledAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Bumped on every settings change, so a running poller reconnects with the new settings.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    public bool CanFetch => Enabled && !string.IsNullOrWhiteSpace(ImapHost);
}

public enum InboundMailState { Pending, Processed, Ignored, Quarantined }

/// <summary>
/// One raw message exactly as received, stored before anything else happens to it. Processing is retried and, after a few
/// failures, the mail is quarantined with its error for an admin to download or retry; it never blocks the mailbox.
/// </summary>
internal sealed class InboundMail : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid MailboxId { get; init; }
    /// <summary>The raw bytes, for mail up to <see cref="InlineLimit"/>; larger mail lives in the blob store under StorageKey.</summary>
    public byte[]? Raw { get; init; }
    public string? StorageKey { get; init; }
    public long Size { get; init; }

    /// <summary>Most mail is a few kilobytes: kept in its row, stored in the same commit, with no file to create and read back.</summary>
    public const int InlineLimit = 256 * 1024;

    /// <summary>SHA-256 of the raw bytes: the same mail fetched again (after a crash or a UIDVALIDITY change) is the same row.</summary>
    public required string Sha256 { get; init; }
    /// <summary>imap or http.</summary>
    public required string Source { get; init; }
    public uint? ImapUid { get; init; }
    public string? FromAddress { get; set; }
    public string? Subject { get; set; }
    public InboundMailState State { get; set; }
    public int Attempts { get; set; }
    /// <summary>Why it was ignored or quarantined, or what it did (a bounce for which message).</summary>
    public string? Note { get; set; }
    public Guid? TicketId { get; set; }
    public Guid? MessageId { get; set; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? ProcessedAt { get; set; }
}

/// <summary>The email side of a message: who it was from and to, and the ids that keep the thread together.</summary>
internal sealed class MailEnvelope : ITenantOwned
{
    public Guid MessageId { get; init; }
    public Guid WorkspaceId { get; set; }
    public Guid? MailboxId { get; init; }
    public required string InternetMessageId { get; init; }
    public string? InReplyTo { get; init; }
    /// <summary>Space-separated, oldest first, as in the References header.</summary>
    public string? References { get; init; }
    public required string From { get; init; }
    /// <summary>Comma-separated addresses.</summary>
    public string To { get; init; } = "";
    public string Cc { get; init; } = "";
    public Guid? InboundMailId { get; init; }
}

internal sealed class MailboxConfiguration : IEntityTypeConfiguration<Mailbox>, IEntityTypeConfiguration<InboundMail>, IEntityTypeConfiguration<MailEnvelope>
{
    public void Configure(EntityTypeBuilder<Mailbox> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Address).HasMaxLength(254);
        b.Property(x => x.FromName).HasMaxLength(200);
        b.Property(x => x.ImapHost).HasMaxLength(253);
        b.Property(x => x.ImapUser).HasMaxLength(254);
        b.Property(x => x.ImapFolder).HasMaxLength(200);
        b.Property(x => x.SmtpHost).HasMaxLength(253);
        b.Property(x => x.SmtpUser).HasMaxLength(254);
        b.Property(x => x.ImapSecurity).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.SmtpSecurity).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ImapAuth).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.SmtpAuth).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.PipeSecretHash).HasMaxLength(64);
        b.Property(x => x.OAuthTokenEndpoint).HasMaxLength(2000);
        b.Property(x => x.OAuthClientId).HasMaxLength(500);
        b.Property(x => x.TrustedAuthServId).HasMaxLength(253);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => new { x.WorkspaceId, x.Address }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<InboundMail> b)
    {
        b.Property(x => x.StorageKey).HasMaxLength(200);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Source).HasMaxLength(16);
        b.Property(x => x.FromAddress).HasMaxLength(254);
        b.Property(x => x.Subject).HasMaxLength(500);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.HasIndex(x => new { x.MailboxId, x.Sha256 }).IsUnique();
        b.HasIndex(x => new { x.MailboxId, x.State, x.ReceivedAt });
        b.HasOne<Mailbox>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<MailEnvelope> b)
    {
        b.HasKey(x => x.MessageId);
        b.Property(x => x.InternetMessageId).HasMaxLength(500);
        b.Property(x => x.InReplyTo).HasMaxLength(500);
        b.Property(x => x.References).HasMaxLength(8000);
        b.Property(x => x.From).HasMaxLength(254);
        b.Property(x => x.To).HasMaxLength(4000);
        b.Property(x => x.Cc).HasMaxLength(4000);
        b.HasOne<Tickets.Message>().WithOne().HasForeignKey<MailEnvelope>(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
