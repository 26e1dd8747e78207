using System.Text.Json;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Customers;
using Ateb.Features.Search;
using Ateb.Features.Webhooks;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

public sealed record RequesterInput(Guid? CustomerId, string? Email, string? Phone, string? Name);

public sealed record FirstMessageInput(string? Text, string? Html, AuthorKind? Author, bool? IsPublic, AttachmentUpload[]? Attachments);

public sealed record CreateTicketRequest(
    string? Subject, RequesterInput? Requester, FirstMessageInput? Message, TicketPriority? Priority, Channel? Channel,
    Guid? AssigneeId, Guid? TeamId, string[]? Tags, JsonElement? CustomFields);

internal sealed class CreateTicket(AtebDb db, TicketReferences references, CustomerDirectory customers, IBlobStore blobStore,
    WebhookEvents webhooks, TimeProvider clock, OutboxSignal outbox, SearchIndex search)
{
    public async Task<Results<Created<TicketResponse>, ProblemHttpResult>> HandleAsync(CreateTicketRequest request, Actor actor, CancellationToken ct)
    {
        // The workspace's phone region matters only when a phone number has to be read.
        var region = string.IsNullOrWhiteSpace(request.Requester?.Phone) ? null : await references.PhoneRegionAsync(ct);
        var check = new Check().Text("subject", request.Subject, Limits.Subject, required: true)
            .When(request.Requester is null, "requester", "is required: give customerId, email, phone or name.")
            .Text("requester.name", request.Requester?.Name, Limits.Name)
            .When(request.Message?.Author is AuthorKind.System or AuthorKind.Bot, "message.author", "must be customer or agent.");
        var identities = CustomerInputs.Identities(request.Requester?.Email is { } e ? [e] : null,
            request.Requester?.Phone is { } p ? [p] : null, null, region, check);
        check.When(request.Requester is { CustomerId: null } r && identities.Count == 0 && string.IsNullOrWhiteSpace(r.Name) && check.Ok,
            "requester", "needs customerId, email, phone or name.");
        if (request.Message is { } m)
        {
            MessageBodies.Validate(check, "message.", m.Text, m.Html, m.Attachments);
        }
        var tags = TicketReferences.ValidateTags(request.Tags, check, "tags");
        var fields = JsonAttributes.Merge("{}", request.CustomFields, check, "customFields");
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (await references.FindMissingAsync(request.AssigneeId, request.TeamId, request.Requester?.CustomerId, ct) is { } missing)
        {
            return missing;
        }
        var blobs = await MessageBodies.StoreAsync(blobStore, request.Message?.Attachments, ct);
        // Taken outside the transaction so PostgreSQL does not hold the workspace row for the whole create; a failure leaves a gap.
        var number = await TicketNumbers.NextAsync(db, actor.WorkspaceId, ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var requester = request.Requester!.CustomerId is { } id
            ? await db.Customers.FirstAsync(c => c.Id == id, ct)
            : await customers.FindOrCreateAsync(identities, request.Requester.Name, null, ct);
        var now = clock.GetUtcNow();
        var ticket = new Ticket
        {
            Number = number, Subject = request.Subject!.Trim(), Priority = request.Priority ?? TicketPriority.Normal, Channel = request.Channel ?? Channel.Api,
            RequesterId = requester.Id, AssigneeId = request.AssigneeId, TeamId = request.TeamId, CustomFields = fields!, CreatedAt = now,
        };
        ticket.Touch(now);
        ticket.Tags.AddRange(tags.Select(t => new TicketTag { TicketId = ticket.Id, Tag = t }));
        db.Tickets.Add(ticket);
        search.AddTicket(ticket);
        search.QueueCustomer(requester.Id);
        if (request.Message is { } first)
        {
            var message = FirstMessage(first, ticket, requester.Id, actor, blobs, now);
            db.Messages.Add(message);
            search.AddMessage(message);
        }
        db.AuditEntries.Add(AuditEntry.For(actor, "ticket", ticket.Id, "created", now));
        var response = ticket.ToResponse(new RequesterSummary(requester.Id, requester.Name, identities.FirstOrDefault().Normalized));
        await webhooks.AddAsync(WebhookEventNames.TicketCreated, response, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        outbox.Pulse();
        return TypedResults.Created($"/api/v1/tickets/{ticket.Id}", response);
    }

    private static Message FirstMessage(FirstMessageInput first, Ticket ticket, Guid requesterId, Actor actor, List<StoredBlob> blobs, DateTimeOffset now)
    {
        var (text, html) = MessageBodies.Bodies(first.Text, first.Html);
        var byAgent = first.Author == AuthorKind.Agent;
        var message = new Message
        {
            TicketId = ticket.Id, AuthorKind = byAgent ? AuthorKind.Agent : AuthorKind.Customer,
            AuthorAgentId = byAgent ? actor.MembershipId : null, AuthorCustomerId = byAgent ? null : requesterId,
            Channel = ticket.Channel, Direction = byAgent ? Direction.Outbound : Direction.Inbound, IsPublic = first.IsPublic ?? true,
            BodyText = text, BodyHtml = html, CreatedAt = now,
        };
        message.Attachments.AddRange(blobs.Select(b => b.ToAttachment(message.Id, now)));
        return message;
    }
}
