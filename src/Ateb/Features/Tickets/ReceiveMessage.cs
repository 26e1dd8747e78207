using Ateb.Features.Audit;
using Ateb.Features.Customers;
using Ateb.Features.Search;
using Ateb.Features.Webhooks;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

/// <summary>
/// The single inbound pipeline: find or create the customer by identity, thread or open a ticket, store the
/// message, all in one transaction. Unique indexes decide every race (the channel's message id, the customer's
/// identity, the one thread ticket per customer and channel); the loser retries and lands on the winner's rows,
/// so a message delivered twice, even concurrently, is stored once and nothing a customer sent is dropped.
/// </summary>
internal sealed class ReceiveMessage(AtebDb db, CustomerDirectory customers, IBlobStore blobs, WebhookEvents webhooks,
    TimeProvider clock, OutboxSignal outbox, SearchIndex search, ILogger<ReceiveMessage> log)
{
    private const int Attempts = 8;

    public async Task<ReceivedMessage> HandleAsync(IncomingMessage incoming, string normalizedFrom, CancellationToken ct)
    {
        if (!incoming.DuplicateChecked && await FindExistingAsync(incoming, ct) is { } existing)
        {
            return existing;
        }
        var stored = await MessageBodies.StoreAsync(blobs, incoming.Attachments, ct);
        stored.AddRange(incoming.StoredAttachments ?? []);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(incoming, normalizedFrom, stored, ct);
            }
            catch (DbUpdateException e) when (attempt < Attempts && (e is DbUpdateConcurrencyException || e.IsUniqueViolation()))
            {
                // Lost a race (same message, same new thread, or the ticket changed under us): look again.
                db.ChangeTracker.Clear();
                log.LogDebug("Inbound {Channel} {ExternalId} retrying after {Error}", incoming.Channel, incoming.ExternalId, e.GetType().Name);
                if (await FindExistingAsync(incoming, ct) is { } winner)
                {
                    return winner;
                }
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }

    private async Task<ReceivedMessage> AttemptAsync(IncomingMessage incoming, string normalizedFrom, List<StoredBlob> stored, CancellationToken ct)
    {
        // On PostgreSQL a first look outside the transaction takes a ticket number early when one will likely be needed, so the
        // transaction never holds the workspace row; on SQLite the write gate serializes writers anyway, so no second look.
        // A message that names its ticket (a live chat's line, a reply) almost always lands in it: no first look for those.
        var number = 0L;
        var namesTicket = incoming.Threading == Threading.Ticket && incoming.TicketIds is { Count: > 0 };
        if (db.IsPostgres && !namesTicket)
        {
            var known = await customers.FindAsync(incoming.From.Kind, normalizedFrom, ct);
            var likelyNew = known is null || (await ThreadAsync(incoming, known.Id, lockRows: false, ct)).Ticket is null;
            db.ChangeTracker.Clear();
            number = likelyNew ? await TicketNumbers.NextAsync(db, db.CurrentWorkspaceId, ct) : 0;
        }
        await using var transaction = await db.BeginWriteAsync(ct);
        // The decision itself is made inside, on fresh rows: on SQLite no other writer can change them before we save.
        var customer = await customers.FindOrCreateAsync([(incoming.From, normalizedFrom)], incoming.FromName, incoming.Language, ct);
        // Writers of one ticket queue on its row instead of racing its version (PostgreSQL; SQLite's write gate does this already).
        var (ticket, locked) = await ThreadAsync(incoming, customer.Id, lockRows: db.IsPostgres, ct);
        if (ticket is not null && db.IsPostgres && !locked)
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Tickets\" WHERE \"Id\" = {ticket.Id} FOR UPDATE", ct);
            await db.Entry(ticket).ReloadAsync(ct);
        }
        if (ticket is null && number == 0)
        {
            number = await TicketNumbers.NextAsync(db, db.CurrentWorkspaceId, ct);
        }
        var now = clock.GetUtcNow();
        var isNew = ticket is null;
        if (ticket is null)
        {
            ticket = new Ticket
            {
                Number = number, Subject = Subject(incoming), Channel = incoming.Channel, RequesterId = customer.Id, CreatedAt = now,
                ThreadKey = incoming.Threading == Threading.OpenTicketOfCustomer ? ThreadKeyOf(incoming.Channel, customer.Id) : null,
            };
            ticket.Touch(now);
            db.Tickets.Add(ticket);
            db.AuditEntries.Add(AuditEntry.For(null, "ticket", ticket.Id, "created", now, "channel", null, incoming.Channel.ToString().ToLowerInvariant()));
        }
        else if (incoming.Flags.HasFlag(MessageFlags.AutoSubmitted))
        {
            // An out-of-office or list mail is kept in the conversation but never brings a ticket back to the agents.
            ticket.Touch(now);
        }
        else
        {
            var before = ticket.Status;
            ticket.RecordCustomerMessage(now);
            if (ticket.Status != before)
            {
                db.AuditEntries.Add(AuditEntry.For(null, "ticket", ticket.Id, "reopened", now, "status", before.ToWire(), ticket.Status.ToWire()));
            }
        }
        var (text, html) = incoming.HtmlIsSanitized
            ? (Clean(incoming.Text) ?? "", Clean(incoming.Html))
            : MessageBodies.Bodies(Clean(incoming.Text), Clean(incoming.Html));
        var message = new Message
        {
            TicketId = ticket.Id, AuthorKind = AuthorKind.Customer, AuthorCustomerId = customer.Id, Channel = incoming.Channel,
            Direction = Direction.Inbound, BodyText = text, BodyHtml = html, ExternalId = incoming.ExternalId, CreatedAt = now,
            Flags = incoming.Flags, FoldAt = incoming.FoldAt is { } fold && fold < text.Length ? fold : null,
        };
        message.Attachments.AddRange(stored.Select(b => b.ToAttachment(message.Id, now)));
        db.Messages.Add(message);
        search.AddMessage(message);
        if (isNew)
        {
            search.AddTicket(ticket);
            search.QueueCustomer(customer.Id);
        }
        if (incoming.WithinTransaction is { } step)
        {
            await step(new InboundContext(db, ticket, message, customer, isNew), ct);
        }
        await webhooks.AddAsync(WebhookEventNames.MessageCreated, new { ticketId = ticket.Id, ticketNumber = ticket.Number, message = message.ToResponse() }, ct);
        var queued = OutboxSignal.AddedKinds(db);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        outbox.Pulse(queued);
        return new ReceivedMessage(ticket.Id, ticket.Number, message.Id, customer.Id, Duplicate: false, NewTicket: isNew);
    }

    private async Task<ReceivedMessage?> FindExistingAsync(IncomingMessage incoming, CancellationToken ct) =>
        await db.Messages.AsNoTracking()
            .Where(m => m.Channel == incoming.Channel && m.ExternalId == incoming.ExternalId)
            .Join(db.Tickets, m => m.TicketId, t => t.Id, (m, t) => new ReceivedMessage(t.Id, t.Number, m.Id, m.AuthorCustomerId ?? Guid.Empty, true, false))
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// The ticket the message belongs to, if any. With <paramref name="lockRows"/> (PostgreSQL, inside the write transaction) a
    /// ticket the message names is locked by the read that loads it (Locked: true), so the row is the latest committed one.
    /// </summary>
    private async Task<(Ticket? Ticket, bool Locked)> ThreadAsync(IncomingMessage incoming, Guid customerId, bool lockRows, CancellationToken ct)
    {
        switch (incoming.Threading)
        {
            case Threading.Ticket when incoming.TicketIds is { Count: > 0 } ids:
                foreach (var id in ids.Distinct().Take(20))
                {
                    // A ticket the channel names counts only if this customer takes part in it: nobody writes into a stranger's ticket.
                    var named = await TicketRow(id, lockRows).FirstOrDefaultAsync(t => t.Id == id && (t.RequesterId == customerId
                        || db.TicketParticipants.Any(p => p.TicketId == t.Id && p.CustomerId == customerId)
                        || db.Messages.Any(m => m.TicketId == t.Id && m.AuthorCustomerId == customerId)), ct);
                    if (named?.MergedIntoId is { } target)
                    {
                        // The conversation moved on when the ticket was merged: follow it.
                        named = await TicketRow(target, lockRows).FirstOrDefaultAsync(t => t.Id == target, ct);
                    }
                    if (named is { Status: not TicketStatus.Closed })
                    {
                        return (named, lockRows);
                    }
                }
                return (null, false);
            case Threading.OpenTicketOfCustomer:
                var key = ThreadKeyOf(incoming.Channel, customerId);
                return (await db.Tickets.FirstOrDefaultAsync(t => t.ThreadKey == key, ct)
                    ?? await db.Tickets.Where(t => t.RequesterId == customerId && t.Channel == incoming.Channel
                            && t.Status != TicketStatus.Solved && t.Status != TicketStatus.Closed)
                        .OrderByDescending(t => t.Number).FirstOrDefaultAsync(ct), false);
            default:
                return (null, false);
        }
    }

    // The row locked in the statement that reads it (PostgreSQL allows FOR UPDATE in a sub-select); the workspace filter
    // and the caller's conditions apply around it.
    private IQueryable<Ticket> TicketRow(Guid id, bool lockRow) =>
        lockRow ? db.Tickets.FromSql($"SELECT * FROM \"Tickets\" WHERE \"Id\" = {id} FOR UPDATE") : db.Tickets;

    internal static string ThreadKeyOf(Channel channel, Guid customerId) => $"{channel}:{customerId:N}".ToLowerInvariant();

    private static string Subject(IncomingMessage incoming)
    {
        var subject = Clean(incoming.Subject);
        if (string.IsNullOrWhiteSpace(subject))
        {
            var text = Clean(incoming.Text) ?? "";
            subject = text.Length == 0 ? "(no subject)" : text.ReplaceLineEndings(" ").Trim();
        }
        return Truncate.ToLength(subject, Limits.Subject);
    }

    // Channels pass what they got; NUL is the one character no database column can hold.
    private static string? Clean(string? value) => value?.Replace("\0", "", StringComparison.Ordinal);
}
