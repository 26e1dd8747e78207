using System.Security.Cryptography;
using System.Text;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Email;

/// <summary>Received mail: what became of it, its original, retrying it, and the pipe an MTA posts raw mail to.</summary>
internal static partial class MailboxesFeature
{
    internal static async Task<Results<Ok<InboundMailResponse[]>, ProblemHttpResult>> InboundAsync(Guid id, [FromQuery] string? state,
        [FromQuery] int? limit, AtebDb db, CancellationToken ct)
    {
        InboundMailState parsed = default;
        if (state is not null && (!Enum.TryParse(state, ignoreCase: true, out parsed) || !Enum.IsDefined(parsed)))
        {
            return Problems.Field("state", "must be one of: pending, processed, ignored, quarantined.");
        }
        if (!await db.Mailboxes.AnyAsync(m => m.Id == id, ct))
        {
            return Problems.NotFound("mailbox");
        }
        var query = db.InboundMails.AsNoTracking().Where(m => m.MailboxId == id);
        if (state is not null)
        {
            query = query.Where(m => m.State == parsed);
        }
        var rows = await query.OrderByDescending(m => m.ReceivedAt).Take(Math.Clamp(limit ?? 50, 1, 500))
            .Select(m => new { m.Id, m.MailboxId, m.State, m.Source, m.FromAddress, m.Subject, m.Size, m.Attempts, m.Note, m.TicketId, m.MessageId, m.ReceivedAt, m.ProcessedAt })
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(m => new InboundMailResponse(m.Id, m.MailboxId, m.State, m.Source, m.FromAddress, m.Subject, m.Size,
            m.Attempts, m.Note, m.TicketId, m.MessageId, m.ReceivedAt, m.ProcessedAt, $"/api/v1/inbound-mail/{m.Id}/raw")).ToArray());
    }

    /// <summary>The original, byte for byte, as an .eml file: always downloadable, whatever became of it.</summary>
    private static async Task<IResult> RawAsync(Guid id, AtebDb db, IBlobStore blobs, HttpResponse response, CancellationToken ct)
    {
        var mail = await db.InboundMails.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.Raw, m.StorageKey }).FirstOrDefaultAsync(ct);
        var stream = mail?.Raw is { } inline ? new MemoryStream(inline, writable: false)
            : mail?.StorageKey is { } key ? await blobs.OpenAsync(key, ct)
            : null;
        if (stream is null)
        {
            return Problems.NotFound("inbound mail");
        }
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(stream, "message/rfc822", $"{id}.eml");
    }

    internal static async Task<Results<Accepted<InboundMailResponse>, ProblemHttpResult>> RetryAsync(Guid id, Actor actor, AtebDb db, TimeProvider clock,
        OutboxSignal signal, CancellationToken ct)
    {
        var mail = await db.InboundMails.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mail is null)
        {
            return Problems.NotFound("inbound mail");
        }
        if (mail.State is not (InboundMailState.Quarantined or InboundMailState.Pending))
        {
            return Problems.Conflict($"This mail was already {mail.State.ToString().ToLowerInvariant()}; only quarantined mail can be retried.");
        }
        var now = clock.GetUtcNow();
        mail.State = InboundMailState.Pending;
        mail.Note = null;
        db.OutboxMessages.Add(EmailIngestSender.Job(mail.Id, now));
        db.AuditEntries.Add(AuditEntry.For(actor, "inbound_mail", id, "retried", now));
        await db.SaveChangesAsync(ct);
        signal.Pulse(EmailIngestSender.KindName);
        return TypedResults.Accepted($"/api/v1/inbound-mail/{id}", new InboundMailResponse(mail.Id, mail.MailboxId, mail.State, mail.Source,
            mail.FromAddress, mail.Subject, mail.Size, mail.Attempts, mail.Note, mail.TicketId, mail.MessageId, mail.ReceivedAt, mail.ProcessedAt,
            $"/api/v1/inbound-mail/{mail.Id}/raw"));
    }

    private static async Task<Results<Accepted<PipedMailResponse>, Ok<PipedMailResponse>, ProblemHttpResult>> PipeAsync(Guid id, HttpRequest request,
        AtebDb db, WorkspaceScope scope, InboundMailStore store, CancellationToken ct)
    {
        var given = request.Headers[PipeSecretHeader].FirstOrDefault() ?? request.Query["secret"].FirstOrDefault();
        var mailbox = await db.Mailboxes.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        // A wrong secret and an unknown mailbox look the same: the answer says nothing about which mailboxes exist.
        if (mailbox is null || mailbox.PipeSecretHash is null || string.IsNullOrEmpty(given)
            || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(mailbox.PipeSecretHash), SHA256.HashData(Encoding.UTF8.GetBytes(given))))
        {
            return Problems.NotFound("mailbox");
        }
        if (!mailbox.Enabled)
        {
            return Problems.Conflict("This mailbox is disabled.");
        }
        scope.Enter(mailbox.WorkspaceId);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0)
        {
            return Problems.Field("body", "must be a raw RFC 822 message (Content-Type: message/rfc822).");
        }
        var (mail, duplicate) = await store.StoreAsync(mailbox, buffer.ToArray(), "http", null, ct);
        var result = new PipedMailResponse(mail.Id, duplicate);
        return duplicate ? TypedResults.Ok(result) : TypedResults.Accepted($"/api/v1/inbound-mail/{mail.Id}", result);
    }
}
