using System.Net.Sockets;
using System.Text.Json;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Ateb.Features.Email;

/// <summary>Queues agents' public replies on email tickets for SMTP, in the same commit as the reply.</summary>
internal sealed class EmailReplyChannel(OutboxSignal signal) : IReplyChannel
{
    /// <summary>Email tickets, and tickets from the help center's and the web's contact forms, whose customer is answered by email.</summary>
    public bool Handles(Ticket ticket) => ticket.Channel is Channel.Email or Channel.HelpCenter or Channel.WebForm;

    public void Enqueue(AtebDb db, Ticket ticket, Message message, DateTimeOffset now)
    {
        message.Delivery = DeliveryStatus.Queued;
        db.OutboxMessages.Add(SmtpMailSender.Job(message.Id, now));
    }

    public void Committed() => signal.Pulse(SmtpMailSender.KindName);
}

/// <summary>
/// Sends one queued message over the ticket's mailbox's SMTP server: threading headers that keep the customer's conversation
/// together, text and HTML parts, attachments. 4xx, timeouts and refused connections retry with backoff; 5xx fails the
/// message with the server's words for the agent to see. A message is marked sent only once the server accepted it.
/// </summary>
internal sealed class SmtpMailSender(IServiceScopeFactory scopes, IOptions<OutboxOptions> options, ILogger<SmtpMailSender> log) : IOutboxSender
{
    public const string KindName = "email";

    public string Kind => KindName;

    // Mail servers answer in tens of milliseconds; a few connections at once keep a backlog moving.
    public int Parallelism => 4;

    public static OutboxMessage Job(Guid messageId, DateTimeOffset now) => new()
    {
        Kind = KindName, Payload = JsonSerializer.Serialize(new { messageId }), IdempotencyKey = $"email:{messageId:N}",
        CreatedAt = now, NextAttemptAt = now,
    };

    public async Task<SendResult> SendAsync(OutboxMessage job, CancellationToken ct)
    {
        var messageId = JsonDocument.Parse(job.Payload).RootElement.GetProperty("messageId").GetGuid();
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(job.WorkspaceId);
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AtebDb>();
        var message = await db.Messages.Include(m => m.Attachments).FirstOrDefaultAsync(m => m.Id == messageId, ct);
        if (message is null)
        {
            return SendResult.PermanentFailure("The message no longer exists.");
        }
        if (message.Delivery == DeliveryStatus.Sent)
        {
            return SendResult.Ok;
        }
        var composer = services.GetRequiredService<OutgoingMail>();
        var (draft, problem) = await composer.ComposeAsync(message, ct);
        if (draft is null)
        {
            await MarkAsync(db, message, DeliveryStatus.Failed, problem, ct);
            return SendResult.PermanentFailure(problem!);
        }
        try
        {
            using var client = new SmtpClient { Timeout = 30_000 };
            await MailConnections.ConnectAsync(client, draft.Mailbox.SmtpHost!, draft.Mailbox.SmtpPort, draft.Mailbox.SmtpSecurity, ct);
            if (!string.IsNullOrEmpty(draft.Mailbox.SmtpUser))
            {
                await MailConnections.SignInAsync(client, services.GetRequiredService<MailCredentials>(), draft.Mailbox, smtp: true, ct);
            }
            await client.SendAsync(draft.Mime, ct);
            await client.DisconnectAsync(true, ct);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            var error = $"The mail server refused it: {(int)e.StatusCode} {e.Message}";
            await MarkAsync(db, message, DeliveryStatus.Failed, error, ct);
            return SendResult.PermanentFailure(error);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is SmtpCommandException or SmtpProtocolException or IOException or SocketException
            or TimeoutException or OperationCanceledException or AuthenticationException or SslHandshakeException or ServiceNotConnectedException
            or MailAuthenticationException or HttpRequestException)
        {
            var final = job.Attempts >= options.Value.MaxAttempts;
            var error = (final ? "Gave up: " : "Retrying: ") + $"{e.GetType().Name}: {e.Message}";
            log.LogInformation("Mail {MessageId} not sent (attempt {Attempt}): {Error}", messageId, job.Attempts, error);
            await MarkAsync(db, message, final ? DeliveryStatus.Failed : DeliveryStatus.Queued, error, ct);
            return final ? SendResult.PermanentFailure(error) : SendResult.Retry(error);
        }
        db.MailEnvelopes.Add(draft.Envelope);
        message.Delivery = DeliveryStatus.Sent;
        message.DeliveryError = null;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Sent before, and the process died before the outbox row was closed: the envelope is already there.
            db.ChangeTracker.Clear();
            await MarkAsync(db, await db.Messages.FirstAsync(m => m.Id == messageId, ct), DeliveryStatus.Sent, null, ct);
        }
        return SendResult.Ok;
    }

    private static async Task MarkAsync(AtebDb db, Message message, DeliveryStatus status, string? error, CancellationToken ct)
    {
        message.Delivery = status;
        message.DeliveryError = error is null ? null : Truncate.ToLength(error, 2000);
        await db.SaveChangesAsync(ct);
    }
}

internal sealed record MailDraft(Mailbox Mailbox, MimeMessage Mime, MailEnvelope Envelope);

/// <summary>Builds the MIME message for a reply: who it goes to, the threading headers, the parts.</summary>
internal sealed class OutgoingMail(AtebDb db, IBlobStore blobs, MailKeys keys)
{
    public async Task<(MailDraft? Draft, string? Problem)> ComposeAsync(Message message, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == message.TicketId, ct);
        var all = await db.Mailboxes.AsNoTracking().OrderBy(m => m.CreatedAt).ToListAsync(ct);
        var mailboxes = all.Where(m => m.Enabled && m.SmtpHost != null).ToList();
        var mailbox = mailboxes.FirstOrDefault(m => m.Id == ticket.MailboxId) ?? mailboxes.FirstOrDefault();
        if (mailbox is null)
        {
            return (null, "No enabled mailbox with an SMTP server to send from.");
        }
        // The conversation so far, newest first: whom to answer and which ids to refer to.
        var thread = await db.MailEnvelopes.AsNoTracking()
            .Join(db.Messages.Where(m => m.TicketId == ticket.Id && m.Id != message.Id), e => e.MessageId, m => m.Id, (e, m) => new { e, m.Direction, m.CreatedAt })
            .OrderByDescending(x => x.CreatedAt).Take(50).ToListAsync(ct);
        var lastInbound = thread.FirstOrDefault(x => x.Direction == Direction.Inbound)?.e;
        var to = lastInbound?.From ?? await RequesterEmailAsync(ticket.RequesterId, ct);
        if (to is null)
        {
            return (null, "The customer has no email address.");
        }
        var ownAddresses = all.Select(m => m.Address).ToList();
        var cc = await db.TicketParticipants.AsNoTracking().Where(p => p.TicketId == ticket.Id)
            .Join(db.CustomerIdentities.Where(i => i.Kind == IdentityKind.Email), p => p.CustomerId, i => i.CustomerId, (p, i) => i.Normalized)
            .ToListAsync(ct);
        cc = [.. cc.Where(a => a != to && !ownAddresses.Contains(a, StringComparer.OrdinalIgnoreCase)).Distinct().Take(20)];

        var key = await keys.GetAsync(db, ticket.WorkspaceId, ct);
        var id = MessageIds.Create(key, message.Id, mailbox.Address);
        var last = lastInbound ?? thread.FirstOrDefault()?.e;
        var references = new List<string>();
        if (last is not null)
        {
            references.AddRange((last.References ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (!last.InternetMessageId.StartsWith("sha256:", StringComparison.Ordinal))
            {
                references.Add(last.InternetMessageId);
            }
        }
        references = [.. references.Distinct().TakeLast(20)];
        var inReplyTo = references.LastOrDefault();

        var automatic = message.AuthorKind is AuthorKind.System or AuthorKind.Bot;
        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == ticket.WorkspaceId, ct);
        var customerLanguage = await db.Customers.AsNoTracking().Where(c => c.Id == ticket.RequesterId).Select(c => c.Language).FirstOrDefaultAsync(ct);
        var subject = automatic
            ? Acknowledgements.Subject(customerLanguage ?? workspace.DefaultLanguage, ticket.Number, ticket.Subject)
            : ReplySubject(ticket.Subject, ticket.Number);

        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(OneLine(mailbox.FromName ?? workspace.Name), mailbox.Address));
        mime.To.Add(new MailboxAddress(await RequesterNameAsync(ticket.RequesterId, ct), to));
        foreach (var address in cc)
        {
            mime.Cc.Add(MailboxAddress.Parse(address));
        }
        mime.Subject = OneLine(subject);
        mime.MessageId = id;
        mime.Date = message.CreatedAt;
        if (inReplyTo is not null)
        {
            mime.InReplyTo = inReplyTo;
            foreach (var reference in references)
            {
                mime.References.Add(reference);
            }
        }
        if (automatic)
        {
            // RFC 3834: other robots must not answer this, and Exchange should not send its out-of-office to it.
            mime.Headers.Add("Auto-Submitted", "auto-replied");
            mime.Headers.Add("X-Auto-Response-Suppress", "All");
        }
        var body = new BodyBuilder
        {
            TextBody = message.BodyText,
            // dir="auto" lets Persian and Arabic replies read right to left in any mail client.
            HtmlBody = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><div dir=\"auto\">{message.BodyHtml ?? TextToHtml(message.BodyText)}</div></body></html>",
        };
        foreach (var attachment in message.Attachments)
        {
            await using var stream = await blobs.OpenAsync(attachment.StorageKey, ct);
            if (stream is null)
            {
                return (null, $"The attachment {attachment.FileName} is missing from storage.");
            }
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            body.Attachments.Add(attachment.FileName, buffer.ToArray(), ContentType.Parse(attachment.ContentType));
        }
        mime.Body = body.ToMessageBody();
        var envelope = new MailEnvelope
        {
            MessageId = message.Id, WorkspaceId = ticket.WorkspaceId, MailboxId = mailbox.Id, InternetMessageId = id, InReplyTo = inReplyTo,
            References = references.Count == 0 ? null : Truncate.ToLength(string.Join(' ', references), 8000), From = mailbox.Address, To = to,
            Cc = Truncate.ToLength(string.Join(", ", cc), 4000),
        };
        return (new MailDraft(mailbox, mime, envelope), null);
    }

    /// <summary>"Re: subject [#n]": the number lets a reply find its ticket even when a mail client drops the threading headers.</summary>
    public static string ReplySubject(string subject, long number)
    {
        var tag = $"[#{number}]";
        var trimmed = subject.Trim();
        var re = trimmed.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? trimmed : "Re: " + trimmed;
        return re.Contains(tag, StringComparison.Ordinal) ? re : $"{re} {tag}";
    }

    /// <summary>No CR or LF can reach a header from a name or subject: header injection is impossible by construction.</summary>
    public static string OneLine(string value) => string.Join(' ', value.Split(['\r', '\n', '\0'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string TextToHtml(string text) =>
        System.Net.WebUtility.HtmlEncode(text).ReplaceLineEndings("<br>");

    private async Task<string?> RequesterEmailAsync(Guid customerId, CancellationToken ct) =>
        await db.CustomerIdentities.AsNoTracking().Where(i => i.CustomerId == customerId && i.Kind == IdentityKind.Email)
            .OrderBy(i => i.UndeliverableAt != null).ThenByDescending(i => i.CreatedAt).Select(i => i.Normalized).FirstOrDefaultAsync(ct);

    private async Task<string> RequesterNameAsync(Guid customerId, CancellationToken ct) =>
        OneLine(await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Name).FirstOrDefaultAsync(ct) ?? "");
}

/// <summary>Connecting and signing in, the same way for IMAP and SMTP.</summary>
internal static class MailConnections
{
    public static SecureSocketOptions Options(MailSecurity security) => security switch
    {
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };

    public static Task ConnectAsync(IMailService client, string host, int port, MailSecurity security, CancellationToken ct) =>
        client.ConnectAsync(host, port, Options(security), ct);

    public static Task AuthenticateAsync(IMailService client, MailAuth auth, string user, string secret, CancellationToken ct) => auth switch
    {
        MailAuth.OAuth2 => client.AuthenticateAsync(new SaslMechanismOAuth2(user, secret), ct),
        _ => client.AuthenticateAsync(user, secret, ct),
    };

    /// <summary>Signs in; an OAuth2 token the server refuses is renewed once and tried again (it may have been revoked early).</summary>
    public static async Task SignInAsync(IMailService client, MailCredentials credentials, Mailbox mailbox, bool smtp, CancellationToken ct)
    {
        var auth = smtp ? mailbox.SmtpAuth : mailbox.ImapAuth;
        var user = (smtp ? mailbox.SmtpUser : mailbox.ImapUser) ?? mailbox.Address;
        try
        {
            await AuthenticateAsync(client, auth, user, await credentials.SecretAsync(mailbox, smtp, refused: false, ct), ct);
        }
        catch (AuthenticationException) when (auth == MailAuth.OAuth2 && MailCredentials.CanRefresh(mailbox))
        {
            await AuthenticateAsync(client, auth, user, await credentials.SecretAsync(mailbox, smtp, refused: true, ct), ct);
        }
    }
}
