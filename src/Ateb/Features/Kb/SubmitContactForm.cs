using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;

namespace Ateb.Features.Kb;

/// <summary>
/// "Contact us" from a visitor: the help center's form now, the chat widget's offline mode later. Website is the field only
/// robots fill in; Channel is where the ticket says it came from (the help center unless a caller says otherwise).
/// </summary>
public sealed record ContactFormRequest(Guid WorkspaceId, string? Name, string? Email, string? Subject, string? Message, string? Language,
    string? Website = null, Channel Channel = Channel.HelpCenter);

/// <summary>The ticket opened (its number), or the fields to correct; Ignored when a robot filled in the trap and nothing was kept.</summary>
public sealed record ContactFormOutcome(long? TicketNumber, IReadOnlyDictionary<string, string[]>? Errors, bool Ignored = false)
{
    public bool Ok => Errors is null;
}

/// <summary>
/// Opens a ticket for the visitor through the one inbound pipeline: the customer is found or created by email address
/// (answers go to them by email), the message is the ticket's first, and a new ticket is always started.
/// </summary>
internal sealed class SubmitContactForm(WorkspaceScope scope, ReceiveMessage pipeline)
{
    public async Task<ContactFormOutcome> HandleAsync(ContactFormRequest request, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(request.Website))
        {
            return new ContactFormOutcome(null, null, Ignored: true);
        }
        var (name, email, subject, message) = (request.Name?.Trim() ?? "", request.Email?.Trim() ?? "", request.Subject?.Trim() ?? "", request.Message?.Trim() ?? "");
        var language = KbFeature.Language(request.Language);
        var normalized = CustomerIdentity.Normalize(IdentityKind.Email, email, null);
        var check = new Check().Text("name", name, Limits.Name).Text("subject", subject, Limits.Subject).Text("message", message, Limits.Body, required: true)
            .When(normalized is null, "email", "is not a valid email address.")
            .When(request.Language is not null && language is null, "language", "must be a language tag such as en, fa, ar or cy.");
        if (!check.Ok)
        {
            return new ContactFormOutcome(null, new Dictionary<string, string[]>(((HttpValidationProblemDetails)check.Problem().ProblemDetails).Errors));
        }
        scope.Enter(request.WorkspaceId);
        var received = await pipeline.HandleAsync(new IncomingMessage(request.Channel, "form:" + Guid.CreateVersion7().ToString("N"),
            new IdentityInput(IdentityKind.Email, email), name.Length == 0 ? null : name, subject.Length == 0 ? null : subject, message, null,
            Threading.NewTicket, Language: language), normalized!, ct);
        return new ContactFormOutcome(received.TicketNumber, null);
    }
}
