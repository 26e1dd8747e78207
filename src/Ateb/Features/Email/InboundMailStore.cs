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
/// Stores raw mail before anything else and queues it for processing (an outbox row in the same commit), so a crash
/// anywhere after this point loses nothing and the same bytes fetched again are the same row.
/// </summary>
internal sealed class InboundMailStore(AtebDb db, IBlobStore blobs, TimeProvider clock, OutboxSignal signal)
{
    public async Task<(InboundMail Mail, bool Duplicate)> StoreAsync(Mailbox mailbox, byte[] raw, string source, uint? uid, CancellationToken ct)
    {
        var sha = MailReader.Sha256(raw);
        if (await FindAsync(mailbox.Id, sha, ct) is { } known)
        {
            return (known, true);
        }
        string? key = null;
        if (raw.Length > InboundMail.InlineLimit)
        {
            using var stream = new MemoryStream(raw, writable: false);
            key = await blobs.PutAsync(stream, ct);
        }
        var now = clock.GetUtcNow();
        var mail = new InboundMail
        {
            WorkspaceId = mailbox.WorkspaceId, MailboxId = mailbox.Id, Raw = key is null ? raw : null, StorageKey = key, Size = raw.Length,
            Sha256 = sha, Source = source, ImapUid = uid, ReceivedAt = now,
        };
        db.InboundMails.Add(mail);
        db.OutboxMessages.Add(EmailIngestSender.Job(mail.Id, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // The same mail, stored concurrently (two nodes polling, a retried pipe): the other copy wins; our blob is an orphan the sweeper removes.
            db.ChangeTracker.Clear();
            return ((await FindAsync(mailbox.Id, sha, ct))!, true);
        }
        db.ChangeTracker.Clear();
        signal.Pulse(EmailIngestSender.KindName);
        return (mail, false);
    }

    // Without the bytes: callers only need to know it is there.
    private async Task<InboundMail?> FindAsync(Guid mailboxId, string sha, CancellationToken ct) =>
        await db.InboundMails.AsNoTracking().Where(m => m.MailboxId == mailboxId && m.Sha256 == sha)
            .Select(m => new InboundMail { Id = m.Id, WorkspaceId = m.WorkspaceId, MailboxId = m.MailboxId, Sha256 = m.Sha256, Source = m.Source, State = m.State })
            .FirstOrDefaultAsync(ct);
}
