using Ateb.Features.Kb;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ateb.Features.Chat;

/// <summary>
/// POST /api/v1/chat/{workspace}/contact: the widget's offline form. It is the help center's contact form
/// (<see cref="SubmitContactForm"/>: same fields, limits, pipeline) in JSON, opening an email ticket so the agent's reply
/// reaches the visitor by mail; without a language it is written in the workspace's default one.
/// </summary>
internal sealed class SubmitChatContact(SubmitContactForm form)
{
    public async Task<Results<Ok<ContactReceipt>, ProblemHttpResult>> HandleAsync(ChatSettingsSnapshot settings, ContactRequest request, CancellationToken ct)
    {
        var outcome = await form.HandleAsync(new ContactFormRequest(settings.WorkspaceId, request.Name, request.Email, request.Subject, request.Message,
            request.Language ?? settings.DefaultLanguage, Channel: Channel.Email), ct);
        return outcome.Ok ? TypedResults.Ok(new ContactReceipt(outcome.TicketNumber ?? 0)) : Problems.Validation(new Dictionary<string, string[]>(outcome.Errors!));
    }
}
