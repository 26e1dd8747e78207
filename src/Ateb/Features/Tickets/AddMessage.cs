using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Search;
using Ateb.Features.Webhooks;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

/// <summary>An agent's public reply (isPublic, the default) or internal note; status optionally moves the ticket in the same step.</summary>
public sealed record AddMessageRequest(string? Text, string? Html, bool? IsPublic, TicketStatus? Status, AttachmentUpload[]? Attachments);

internal sealed class AddMessage(AtebDb db, IBlobStore blobs, WebhookEvents webhooks, TimeProvider clock, OutboxSignal outbox,
    IEnumerable<IReplyChannel> channels, SearchIndex search)
{
    public async Task<Results<Created<MessageResponse>, ProblemHttpResult>> HandleAsync(Guid ticketId, AddMessageRequest request, Actor actor, CancellationToken ct)
    {
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null)
        {
            return Problems.NotFound("ticket");
        }
        var isPublic = request.IsPublic ?? true;
        if ((isPublic || request.Status is not null) && !actor.Role.CanWorkTickets())
        {
            return Problems.Forbidden("Light agents may add internal notes only.");
        }
        var check = new Check();
        MessageBodies.Validate(check, "", request.Text, request.Html, request.Attachments);
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (!ticket.Status.IsOpenForReplies())
        {
            return Problems.Conflict("The ticket is closed. Create a follow-up ticket instead.");
        }
        var now = clock.GetUtcNow();
        var oldStatus = ticket.Status;
        if (isPublic)
        {
            ticket.RecordPublicAgentReply(now);
        }
        else
        {
            ticket.Touch(now);
        }
        if (request.Status is { } status && ticket.MoveTo(status, now) is { } refused)
        {
            return Problems.Conflict(refused);
        }
        var (text, html) = MessageBodies.Bodies(request.Text, request.Html);
        var message = new Message
        {
            TicketId = ticket.Id, AuthorKind = AuthorKind.Agent, AuthorAgentId = actor.MembershipId, Channel = ticket.Channel,
            Direction = isPublic ? Direction.Outbound : Direction.Internal, IsPublic = isPublic, BodyText = text, BodyHtml = html, CreatedAt = now,
        };
        message.Attachments.AddRange((await MessageBodies.StoreAsync(blobs, request.Attachments, ct)).Select(b => b.ToAttachment(message.Id, now)));
        db.Messages.Add(message);
        search.AddMessage(message);
        var delivery = isPublic ? channels.FirstOrDefault(c => c.Handles(ticket)) : null;
        delivery?.Enqueue(db, ticket, message, now);
        db.AuditEntries.Add(AuditEntry.For(actor, "ticket", ticket.Id, isPublic ? "replied" : "noted", now));
        if (ticket.Status != oldStatus)
        {
            db.AuditEntries.Add(AuditEntry.For(actor, "ticket", ticket.Id, "updated", now, "status", oldStatus.ToWire(), ticket.Status.ToWire()));
        }
        var response = message.ToResponse();
        await webhooks.AddAsync(WebhookEventNames.MessageCreated, new { ticketId = ticket.Id, ticketNumber = ticket.Number, message = response }, ct);
        await db.SaveChangesAsync(ct);
        delivery?.Committed();
        outbox.Pulse();
        return TypedResults.Created($"/api/v1/tickets/{ticket.Id}/messages/{message.Id}", response);
    }
}
