using Ateb.Features.Audit;
using Ateb.Features.Customers;
using Ateb.Features.Webhooks;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

/// <summary>
/// The single inbound pipeline: find or create the customer by identity, thread or open a ticket, store the
/// message. Idempotent on (channel, external id): the unique index decides, so a message delivered twice, even
/// concurrently, is stored once and the second call gets the first one's result.
/// </summary>
internal sealed class ReceiveMessage(AtebDb db, CustomerDirectory customers, IBlobStore blobs, WebhookEvents webhooks,
    TimeProvider clock, OutboxSignal outbox)
{
    public async Task<ReceivedMessage> HandleAsync(IncomingMessage incoming, string normalizedFrom, CancellationToken ct)
    {
        if (await FindExistingAsync(incoming, ct) is { } existing)
        {
            return existing;
        }
        var customer = await customers.FindOrCreateAsync([(incoming.From, normalizedFrom)], incoming.FromName, incoming.Language, ct);
        var now = clock.GetUtcNow();
        var ticket = await ThreadAsync(incoming, customer.Id, ct);
        var isNew = ticket is null;
        if (ticket is null)
        {
            ticket = new Ticket
            {
                Number = await TicketNumbers.NextAsync(db, db.CurrentWorkspaceId, ct),
                Subject = Subject(incoming), Channel = incoming.Channel, RequesterId = customer.Id, CreatedAt = now,
            };
            ticket.Touch(now);
            db.Tickets.Add(ticket);
            db.AuditEntries.Add(AuditEntry.For(null, "ticket", ticket.Id, "created", now, "channel", null, incoming.Channel.ToString().ToLowerInvariant()));
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
        var (text, html) = MessageBodies.Bodies(Clean(incoming.Text), Clean(incoming.Html));
        var message = new Message
        {
            TicketId = ticket.Id, AuthorKind = AuthorKind.Customer, AuthorCustomerId = customer.Id, Channel = incoming.Channel,
            Direction = Direction.Inbound, BodyText = text, BodyHtml = html, ExternalId = incoming.ExternalId, CreatedAt = now,
        };
        message.Attachments.AddRange(await MessageBodies.StoreAsync(blobs, incoming.Attachments, message.Id, now, ct));
        db.Messages.Add(message);
        await webhooks.AddAsync(WebhookEventNames.MessageCreated, new { ticketId = ticket.Id, ticketNumber = ticket.Number, message = message.ToResponse() }, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Lost a race with the same message arriving concurrently: the winner's row is the answer.
            db.ChangeTracker.Clear();
            return await FindExistingAsync(incoming, ct) ?? throw new InvalidOperationException("Unique violation without a winner.", e);
        }
        outbox.Pulse();
        return new ReceivedMessage(ticket.Id, ticket.Number, message.Id, customer.Id, Duplicate: false, NewTicket: isNew);
    }

    private async Task<ReceivedMessage?> FindExistingAsync(IncomingMessage incoming, CancellationToken ct) =>
        await db.Messages.AsNoTracking()
            .Where(m => m.Channel == incoming.Channel && m.ExternalId == incoming.ExternalId)
            .Join(db.Tickets, m => m.TicketId, t => t.Id, (m, t) => new ReceivedMessage(t.Id, t.Number, m.Id, m.AuthorCustomerId ?? Guid.Empty, true, false))
            .FirstOrDefaultAsync(ct);

    private async Task<Ticket?> ThreadAsync(IncomingMessage incoming, Guid customerId, CancellationToken ct) => incoming.Threading switch
    {
        // A ticket id from the channel counts only if this customer is its requester: nobody writes into a stranger's ticket.
        Threading.Ticket when incoming.TicketId is { } id =>
            await db.Tickets.FirstOrDefaultAsync(t => t.Id == id && t.RequesterId == customerId && t.Status != TicketStatus.Closed, ct),
        Threading.OpenTicketOfCustomer =>
            await db.Tickets.Where(t => t.RequesterId == customerId && t.Channel == incoming.Channel
                    && t.Status != TicketStatus.Solved && t.Status != TicketStatus.Closed)
                .OrderByDescending(t => t.Number).FirstOrDefaultAsync(ct),
        _ => null,
    };

    private static string Subject(IncomingMessage incoming)
    {
        var subject = Clean(incoming.Subject);
        if (string.IsNullOrWhiteSpace(subject))
        {
            var text = Clean(incoming.Text) ?? "";
            subject = text.Length == 0 ? "(no subject)" : text.ReplaceLineEndings(" ").Trim();
        }
        return subject.Length > Limits.Subject ? subject[..(Limits.Subject - 1)] + "…" : subject;
    }

    // Channels pass what they got; NUL is the one character no database column can hold.
    private static string? Clean(string? value) => value?.Replace("\0", "", StringComparison.Ordinal);
}
