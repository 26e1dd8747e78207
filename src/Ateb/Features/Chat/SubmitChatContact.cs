using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ateb.Features.Chat;

/// <summary>
/// POST /api/v1/chat/{workspace}/contact: the widget's offline form. It must stay the help center's contact form in JSON:
/// same fields, limits and pipeline, and an email-channel ticket so the agent's reply reaches the visitor by mail.
/// MERGE NOTE: Features/Kb/SubmitContactForm (being extracted from HelpCenterForms) is the one implementation; when it
/// lands, this class only maps ContactRequest to it and back (docs/chat-protocol.md).
/// </summary>
internal sealed class SubmitChatContact(ReceiveMessage pipeline)
{
    public async Task<Results<Ok<ContactReceipt>, ProblemHttpResult>> HandleAsync(ChatSettingsSnapshot settings, ContactRequest request, CancellationToken ct)
    {
        var (name, email, subject, message) = (Clean(request.Name), Clean(request.Email), Clean(request.Subject), Clean(request.Message));
        var normalized = CustomerIdentity.Normalize(IdentityKind.Email, email, null);
        var language = request.Language is null ? null : LanguageTags.Normalize(request.Language);
        var check = new Check().Text("name", name, Limits.Name).Text("subject", subject, Limits.Subject).Text("message", message, Limits.Body, required: true)
            .When(email is null, "email", "is required: the answer goes there.")
            .When(email is not null && normalized is null, "email", "is not an email address.")
            .When(request.Language is not null && language is null, "language", "is not a BCP-47 language tag such as en or fa-IR.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var received = await pipeline.HandleAsync(new IncomingMessage(Channel.Email, "form:" + Guid.CreateVersion7().ToString("N"),
            new IdentityInput(IdentityKind.Email, email!), name, subject, message, null, Threading.NewTicket,
            Language: language ?? settings.DefaultLanguage), normalized!, ct);
        return TypedResults.Ok(new ContactReceipt(received.TicketNumber));
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
