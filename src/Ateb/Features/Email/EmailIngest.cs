using System.Text.Json;
using System.Text.RegularExpressions;
using Ateb.Features.Audit;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Email;

/// <summary>
/// Turns one stored raw mail into a ticket message: our own mail and loops are ignored, bounces mark the original
/// reply failed, and everything else goes through the one inbound pipeline with email's threading rules.
/// </summary>
internal sealed partial class EmailIngest(AtebDb db, IBlobStore blobs, ReceiveMessage pipeline, MailKeys keys, TimeProvider clock, OutboxSignal signal)
{
    private const int MaxCopiedParticipants = 10;
    private const int AcknowledgementsPerHour = 3;

    public async Task ProcessAsync(Guid inboundMailId, CancellationToken ct)
    {
        var mail = await db.InboundMails.AsNoTracking().FirstOrDefaultAsync(m => m.Id == inboundMailId, ct);
        if (mail is null || mail.State != InboundMailState.Pending)
        {
            return;
        }
        var mailbox = await db.Mailboxes.AsNoTracking().FirstAsync(m => m.Id == mail.MailboxId, ct);
        var raw = await ReadRawAsync(mail, ct);
        var parsed = MailReader.Read(raw, mailbox.TrustedAuthServId);
        await ProcessAsync(mail, mailbox, parsed, ct);
    }

    internal async Task ProcessAsync(InboundMail mail, Mailbox mailbox, ParsedMail parsed, CancellationToken ct)
    {
        var key = await keys.GetAsync(db, mailbox.WorkspaceId, ct);
        var summary = (From: Truncate.ToLength(parsed.FromAddress ?? "", 254), Subject: Truncate.ToLength(parsed.Subject ?? "", 500));
        if (MessageIds.Verify(key, parsed.MessageId) is not null)
        {
            await FinishAsync(mail.Id, InboundMailState.Ignored, "Our own outgoing mail, fetched back.", summary, null, null, ct);
            return;
        }
        var ownAddresses = await db.Mailboxes.AsNoTracking().Select(m => m.Address).ToListAsync(ct);
        var from = ContactAddresses.NormalizeEmail(parsed.FromAddress);
        if (from is not null && ownAddresses.Any(a => string.Equals(a, from, StringComparison.OrdinalIgnoreCase)))
        {
            await FinishAsync(mail.Id, InboundMailState.Ignored, "Sent from one of this workspace's own mailboxes (a mail loop).", summary, null, null, ct);
            return;
        }
        if (parsed.Bounce is { } bounce)
        {
            var note = await RecordBounceAsync(bounce, key, ct);
            await FinishAsync(mail.Id, InboundMailState.Processed, note, summary, null, null, ct);
            return;
        }
        var received = await ReceiveAsync(mail, mailbox, parsed, from, ownAddresses, key, summary, ct);
        if (received.Duplicate)
        {
            // A new mail row for a message already received: its own row is finished here (a new message finished with its commit).
            await FinishAsync(mail.Id, InboundMailState.Processed, "Already received (same Message-ID).", summary, received.TicketId, received.MessageId, ct);
        }
    }

    private async Task<ReceivedMessage> ReceiveAsync(InboundMail mail, Mailbox mailbox, ParsedMail parsed, string? from, List<string> ownAddresses,
        byte[] key, (string From, string Subject) summary, CancellationToken ct)
    {
        // A mail with no usable sender is still a customer's message: it goes to one "unknown sender" customer, never dropped.
        from ??= "unknown-sender@" + Domain(mailbox.Address);
        var flags = MessageFlags.None;
        if (parsed.AutoSubmittedReason is not null)
        {
            flags |= MessageFlags.AutoSubmitted;
        }
        if (parsed.DmarcFailed)
        {
            flags |= MessageFlags.DmarcFailed;
        }
        var upper = from.ToUpperInvariant();
        if (await db.Memberships.AnyAsync(m => m.Account!.NormalizedEmail == upper, ct))
        {
            // Anyone can write an agent's address in From; it is stored as a customer message and never acts as the agent.
            flags |= MessageFlags.FromAgentAddress;
        }
        var stored = new List<StoredBlob>();
        var inline = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parsed.Attachments.Take(100))
        {
            using var stream = new MemoryStream(part.Content, writable: false);
            var blob = new StoredBlob(await blobs.PutAsync(stream, ct), part.Content.Length, FileNames.Sanitize(part.FileName),
                Truncate.ToLength(part.ContentType, 100));
            stored.Add(blob);
            if (part.ContentId is { Length: > 0 } cid)
            {
                inline.TryAdd(cid.Trim('<', '>'), blob.Id);
            }
        }
        string? html = null;
        var text = parsed.Text;
        if (parsed.Html is { Length: > 0 } rawHtml)
        {
            if (Html.IsTooComplex(rawHtml))
            {
                text ??= Html.StripTags(rawHtml);
            }
            else
            {
                html = Html.SanitizeReceived(rawHtml, cid => inline.TryGetValue(cid, out var id) ? $"/api/v1/attachments/{id}" : null, out var blocked);
                if (blocked)
                {
                    flags |= MessageFlags.RemoteImagesBlocked;
                }
                text ??= Html.ToText(html);
            }
        }
        text ??= "";
        var ticketIds = await CandidateTicketsAsync(parsed, key, ct);
        var externalId = parsed.MessageId.Length <= 500 ? parsed.MessageId : "sha256:" + MailReader.Sha256(System.Text.Encoding.UTF8.GetBytes(parsed.MessageId));
        var incoming = new IncomingMessage(Channel.Email, externalId, new IdentityInput(IdentityKind.Email, from), parsed.FromName,
            parsed.Subject, text, html, Threading.Ticket, ticketIds, null, parsed.Date, parsed.Language)
        {
            StoredAttachments = stored,
            Flags = flags,
            HtmlIsSanitized = true,
            FoldAt = QuoteFolding.FindFoldStart(text),
            WithinTransaction = (context, token) => KeepEnvelopeAsync(context, mail, mailbox, parsed, from, ownAddresses, flags, summary, token),
        };
        return await pipeline.HandleAsync(incoming, from, ct);
    }

    /// <summary>
    /// Tickets this mail may continue, best first: those named by our own signed Message-IDs in In-Reply-To/References, then
    /// those holding the customer's earlier mails it refers to (Outlook and Exchange rewrite ids, but keep the chain), then the
    /// [#number] in the subject unless DMARC failed. The pipeline takes the first the sender takes part in.
    /// </summary>
    private async Task<List<Guid>> CandidateTicketsAsync(ParsedMail parsed, byte[] key, CancellationToken ct)
    {
        var referenced = new List<string>();
        if (parsed.InReplyTo is { Length: > 0 } inReplyTo)
        {
            referenced.Add(inReplyTo);
        }
        referenced.AddRange(parsed.References.AsEnumerable().Reverse());
        referenced = [.. referenced.Where(r => r.Length <= 500).Distinct().Take(30)];
        var ours = referenced.Select(r => MessageIds.Verify(key, r)).OfType<Guid>().ToList();
        var candidates = new List<Guid>();
        if (ours.Count > 0)
        {
            var tickets = await db.Messages.AsNoTracking().Where(m => ours.Contains(m.Id)).Select(m => new { m.Id, m.TicketId }).ToListAsync(ct);
            candidates.AddRange(ours.Select(id => tickets.FirstOrDefault(t => t.Id == id)?.TicketId).OfType<Guid>());
        }
        var theirs = referenced.Where(r => MessageIds.Verify(key, r) is null).ToList();
        if (theirs.Count > 0)
        {
            candidates.AddRange(await db.Messages.AsNoTracking().Where(m => m.Channel == Channel.Email && theirs.Contains(m.ExternalId!))
                .OrderByDescending(m => m.CreatedAt).Select(m => m.TicketId).Take(10).ToListAsync(ct));
        }
        if (!parsed.DmarcFailed && TicketNumberInSubject().Match(parsed.Subject ?? "") is { Success: true } match
            && long.TryParse(match.Groups[1].Value, out var number))
        {
            if (await db.Tickets.AsNoTracking().Where(t => t.Number == number).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct) is { } id)
            {
                candidates.Add(id);
            }
        }
        return [.. candidates.Distinct()];
    }

    [GeneratedRegex(@"\[#(\d{1,18})\]", RegexOptions.None, 100)]
    internal static partial Regex TicketNumberInSubject();

    private async Task KeepEnvelopeAsync(InboundContext context, InboundMail mail, Mailbox mailbox, ParsedMail parsed, string from,
        List<string> ownAddresses, MessageFlags flags, (string From, string Subject) summary, CancellationToken ct)
    {
        context.Ticket.MailboxId ??= mailbox.Id;
        // The raw mail is marked processed in the same commit as its message: there is no moment when one exists without the other.
        var row = new InboundMail
        {
            Id = mail.Id, WorkspaceId = mail.WorkspaceId, MailboxId = mail.MailboxId, Sha256 = mail.Sha256, Source = mail.Source,
            StorageKey = mail.StorageKey, Size = mail.Size, ReceivedAt = mail.ReceivedAt, ImapUid = mail.ImapUid, Attempts = mail.Attempts,
        };
        context.Db.InboundMails.Attach(row);
        row.State = InboundMailState.Processed;
        row.ProcessedAt = clock.GetUtcNow();
        row.Attempts = mail.Attempts + 1;
        row.FromAddress = summary.From;
        row.Subject = summary.Subject;
        row.TicketId = context.Ticket.Id;
        row.MessageId = context.Message.Id;
        context.Db.MailEnvelopes.Add(new MailEnvelope
        {
            MessageId = context.Message.Id, MailboxId = mailbox.Id, InternetMessageId = Truncate.ToLength(parsed.MessageId, 500),
            InReplyTo = parsed.InReplyTo is { } r ? Truncate.ToLength(r, 500) : null,
            References = parsed.References.Count == 0 ? null : Truncate.ToLength(string.Join(' ', parsed.References.TakeLast(40)), 8000),
            From = from, To = Addresses(parsed.To), Cc = Addresses(parsed.Cc), InboundMailId = mail.Id,
        });
        if (!flags.HasFlag(MessageFlags.AutoSubmitted) && !flags.HasFlag(MessageFlags.DmarcFailed))
        {
            await AddCopiedParticipantsAsync(context, parsed, from, ownAddresses, ct);
        }
        // Never to automatic mail (loops) nor to a sender DMARC says may be forged (backscatter).
        if (context.NewTicket && mailbox.AutoAcknowledge && (flags & (MessageFlags.AutoSubmitted | MessageFlags.DmarcFailed)) == 0)
        {
            await AcknowledgeAsync(context, mailbox, ct);
        }
    }

    private static string Addresses(IReadOnlyList<MimeKit.MailboxAddress> list) =>
        Truncate.ToLength(string.Join(", ", list.Select(a => a.Address).Where(a => !string.IsNullOrWhiteSpace(a))), 4000);

    /// <summary>People the customer copied in become participants: they get replies and may answer into the ticket.</summary>
    private async Task AddCopiedParticipantsAsync(InboundContext context, ParsedMail parsed, string from, List<string> ownAddresses, CancellationToken ct)
    {
        var addresses = parsed.To.Concat(parsed.Cc).Select(a => ContactAddresses.NormalizeEmail(a.Address)).OfType<string>()
            .Where(a => a != from && !ownAddresses.Contains(a, StringComparer.OrdinalIgnoreCase))
            .Distinct().Take(MaxCopiedParticipants).ToList();
        if (addresses.Count == 0)
        {
            return;
        }
        var db = context.Db;
        var now = clock.GetUtcNow();
        var known = await db.CustomerIdentities.Where(i => i.Kind == IdentityKind.Email && addresses.Contains(i.Normalized))
            .Select(i => new { i.Normalized, i.CustomerId }).ToListAsync(ct);
        var existing = await db.TicketParticipants.Where(p => p.TicketId == context.Ticket.Id).Select(p => p.CustomerId).ToListAsync(ct);
        foreach (var address in addresses)
        {
            var customerId = known.FirstOrDefault(k => k.Normalized == address)?.CustomerId;
            if (customerId is null)
            {
                // Created here, not through CustomerDirectory: its save would commit half of this unit of work on a race.
                var customer = new Customer { Name = address.Split('@')[0], CreatedAt = now, UpdatedAt = now };
                customer.Identities.Add(new CustomerIdentity { Kind = IdentityKind.Email, Value = address, Normalized = address, CreatedAt = now });
                db.Customers.Add(customer);
                customerId = customer.Id;
            }
            if (customerId != context.Ticket.RequesterId && !existing.Contains(customerId.Value))
            {
                db.TicketParticipants.Add(new TicketParticipant { TicketId = context.Ticket.Id, CustomerId = customerId.Value, CreatedAt = now });
                existing.Add(customerId.Value);
            }
        }
    }

    /// <summary>"We got your message, it is ticket #n", in the customer's language; a few per sender per hour at most, so two auto-responders cannot loop.</summary>
    private async Task AcknowledgeAsync(InboundContext context, Mailbox mailbox, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now.AddHours(-1);
        var recent = await context.Db.Messages.Where(m => m.AuthorKind == AuthorKind.System && m.Channel == Channel.Email && m.CreatedAt > since)
            .Join(context.Db.Tickets.Where(t => t.RequesterId == context.Customer.Id), m => m.TicketId, t => t.Id, (m, t) => m.Id)
            .CountAsync(ct);
        if (recent >= AcknowledgementsPerHour)
        {
            return;
        }
        var workspace = await context.Db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == mailbox.WorkspaceId, ct);
        var language = context.Customer.Language ?? workspace.DefaultLanguage;
        var text = Acknowledgements.Text(language, context.Ticket.Number, mailbox.FromName ?? workspace.Name);
        var ack = new Message
        {
            TicketId = context.Ticket.Id, AuthorKind = AuthorKind.System, Channel = Channel.Email, Direction = Direction.Outbound,
            IsPublic = true, BodyText = text, Delivery = DeliveryStatus.Queued, CreatedAt = now.AddTicks(1), Flags = MessageFlags.AutoSubmitted,
        };
        context.Db.Messages.Add(ack);
        context.Db.OutboxMessages.Add(SmtpMailSender.Job(ack.Id, now));
        signal.Pulse(SmtpMailSender.KindName);
    }

    /// <summary>Marks the reply a bounce is about as failed, with the reason, and flags the address. A bounce never opens a ticket.</summary>
    private async Task<string> RecordBounceAsync(BounceReport bounce, byte[] key, CancellationToken ct)
    {
        var ids = bounce.OriginalMessageIds.Select(i => MessageIds.Verify(key, i)).OfType<Guid>().ToList();
        if (ids.Count == 0)
        {
            return "A bounce for mail Ateb did not send; nothing to mark.";
        }
        if (!bounce.Failed)
        {
            return "A delivery status report without a failure (delayed or relayed); nothing to mark.";
        }
        var now = clock.GetUtcNow();
        var reason = Truncate.ToLength("Bounced: " + bounce.Reason, 2000);
        var messages = await db.Messages.Where(m => ids.Contains(m.Id)).ToListAsync(ct);
        foreach (var message in messages)
        {
            message.Delivery = DeliveryStatus.Failed;
            message.DeliveryError = reason;
            db.AuditEntries.Add(AuditEntry.For(null, "ticket", message.TicketId, "bounced", now, "message", null, message.Id.ToString()));
        }
        var failed = bounce.Recipients.Where(r => r.Failed).Select(r => ContactAddresses.NormalizeEmail(r.Address)).OfType<string>().ToList();
        foreach (var identity in await db.CustomerIdentities.Where(i => i.Kind == IdentityKind.Email && failed.Contains(i.Normalized)).ToListAsync(ct))
        {
            identity.UndeliverableAt = now;
            identity.UndeliverableReason = Truncate.ToLength(bounce.Reason, 1000);
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return messages.Count == 0 ? "A bounce for a message that no longer exists." : $"Bounce: marked message {messages[0].Id} failed.";
    }

    private async Task FinishAsync(Guid id, InboundMailState state, string? note, (string From, string Subject) summary, Guid? ticketId, Guid? messageId,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.WriteAsync(() => db.InboundMails.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, state).SetProperty(m => m.Note, note).SetProperty(m => m.ProcessedAt, now)
            .SetProperty(m => m.FromAddress, summary.From).SetProperty(m => m.Subject, summary.Subject)
            .SetProperty(m => m.TicketId, ticketId).SetProperty(m => m.MessageId, messageId).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct), ct);
    }

    public async Task RecordFailureAsync(Guid id, string error, bool quarantine, CancellationToken ct)
    {
        var note = Truncate.ToLength(error, 2000);
        var state = quarantine ? InboundMailState.Quarantined : InboundMailState.Pending;
        await db.WriteAsync(() => db.InboundMails.Where(m => m.Id == id && m.State == InboundMailState.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, state).SetProperty(m => m.Note, note).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct), ct);
    }

    private async Task<byte[]> ReadRawAsync(InboundMail mail, CancellationToken ct)
    {
        if (mail.Raw is { } inline)
        {
            return inline;
        }
        await using var stream = (mail.StorageKey is null ? null : await blobs.OpenAsync(mail.StorageKey, ct))
            ?? throw new InvalidOperationException($"The raw mail {mail.StorageKey} is missing from storage.");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static string Domain(string address) => address.Contains('@', StringComparison.Ordinal) ? address[(address.LastIndexOf('@') + 1)..] : "invalid";
}
