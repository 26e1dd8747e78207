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

/// <summary>An agent's public reply (isPublic, the default) or internal note; status optionally moves the ticket in the same step.
/// ClientId (the client's own id for this message, at most 100 characters) makes a retry idempotent: the same agent sending
/// the same ClientId again gets the stored message back.</summary>
public sealed record AddMessageRequest(string? Text, string? Html, bool? IsPublic, TicketStatus? Status, AttachmentUpload[]? Attachments,
    string? ClientId = null);

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
        check.When(request.ClientId is { } id && (id.Length is 0 or > 100 || id.Any(char.IsControl)), "clientId", "At most 100 characters, no control characters.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var externalId = request.ClientId is null ? null : ClientMessageId(actor.MembershipId, request.ClientId);
        if (externalId is not null && await db.Messages.AsNoTracking().Include(m => m.Attachments)
                .FirstOrDefaultAsync(m => m.TicketId == ticket.Id && m.ExternalId == externalId, ct) is { } earlier)
        {
            return TypedResults.Created($"/api/v1/tickets/{ticket.Id}/messages/{earlier.Id}", earlier.ToResponse());
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
            Direction = isPublic ? Direction.Outbound : Direction.Internal, IsPublic = isPublic, BodyText = text, BodyHtml = html, CreatedAt = now, ExternalId = externalId,
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
        var queued = OutboxSignal.AddedKinds(db);
        await db.SaveChangesAsync(ct);
        delivery?.Committed();
        outbox.Pulse(queued);
        return TypedResults.Created($"/api/v1/tickets/{ticket.Id}/messages/{message.Id}", response);
    }

    /// <summary>The stored external id of an agent's message sent with a client id (unique per workspace and channel).</summary>
    public static string ClientMessageId(Guid membershipId, string clientId) => $"agent:{membershipId:N}:{clientId}";
}
