using Ateb.Features.Customers;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ateb.Features.Tickets;

/// <summary>The inbound pipeline over HTTP, for integrations that bring their own channel (and for tests).</summary>
public sealed record InboundMessageRequest(
    Channel? Channel, string? ExternalId, IdentityInput? From, string? FromName, string? Subject, string? Text, string? Html,
    Threading? Threading, Guid? TicketId, AttachmentUpload[]? Attachments, string? Language);

internal static class ReceiveMessageEndpoint
{
    public static async Task<Results<Ok<ReceivedMessage>, Created<ReceivedMessage>, ProblemHttpResult>> HandleAsync(
        InboundMessageRequest body, ReceiveMessage pipeline, TicketReferences references, CancellationToken ct)
    {
        var region = body.From?.Kind is IdentityKind.Phone or IdentityKind.WhatsApp ? await references.PhoneRegionAsync(ct) : null;
        var check = new Check().When(body.Channel is null, "channel", "is required.")
            .Text("externalId", body.ExternalId, 500, required: true)
            .When(body.From is null, "from", "is required: { kind, value }.")
            .Text("fromName", body.FromName, Limits.Name).Text("subject", body.Subject, Limits.Subject).Text("language", body.Language, 35)
            .When(body.Threading == Tickets.Threading.Ticket && body.TicketId is null, "ticketId", "is required when threading is ticket.");
        MessageBodies.Validate(check, "", body.Text, body.Html, body.Attachments);
        var normalized = body.From is { } from ? CustomerIdentity.Normalize(from.Kind, from.Value, region) : null;
        check.When(body.From is not null && normalized is null, "from.value", $"is not a valid {body.From?.Kind.ToString().ToLowerInvariant()} identity.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var incoming = new IncomingMessage(body.Channel!.Value, body.ExternalId!.Trim(), body.From!, body.FromName, body.Subject, body.Text,
            body.Html, body.Threading ?? Tickets.Threading.OpenTicketOfCustomer, body.TicketId is { } id ? [id] : null, body.Attachments, null, body.Language);
        var result = await pipeline.HandleAsync(incoming, normalized!, ct);
        return result.Duplicate ? TypedResults.Ok(result) : TypedResults.Created($"/api/v1/tickets/{result.TicketId}", result);
    }
}
