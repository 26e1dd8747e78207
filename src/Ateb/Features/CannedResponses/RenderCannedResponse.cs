using System.Globalization;
using Ateb.Features.Agents;
using Ateb.Features.Customers;
using Ateb.Features.Workspaces;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.CannedResponses;

/// <summary>tone defaults to the workspace's; when that wording is empty the other one is used, and the answer says which.</summary>
public sealed record RenderCannedResponseRequest(Guid? TicketId, ToneOfVoice? Tone = null);

public sealed record RenderedCannedResponse(string Text, ToneOfVoice Tone);

/// <summary>Fills a canned response's placeholders for one ticket and counts the use.</summary>
internal sealed class RenderCannedResponse(AtebDb db)
{
    public async Task<Results<Ok<RenderedCannedResponse>, ProblemHttpResult>> HandleAsync(Guid id, RenderCannedResponseRequest request, Actor actor,
        CancellationToken ct)
    {
        if (request.TicketId is not { } ticketId)
        {
            return Problems.Field("ticketId", "is required.");
        }
        var response = await db.CannedResponses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (response is null)
        {
            return Problems.NotFound("canned response");
        }
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == ticketId).Select(t => new { t.Number, t.Subject, t.RequesterId }).FirstOrDefaultAsync(ct);
        if (ticket is null)
        {
            return Problems.NotFound("ticket");
        }
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == ticket.RequesterId).Select(c => new
        {
            c.Name,
            Email = c.Identities.Where(i => i.Kind == IdentityKind.Email).OrderBy(i => i.CreatedAt).Select(i => i.Normalized).FirstOrDefault(),
        }).FirstAsync(ct);
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == actor.WorkspaceId).Select(w => new { w.Name, w.Tone }).FirstAsync(ct);
        var tone = request.Tone ?? workspace.Tone;
        var text = tone == ToneOfVoice.Friendly ? response.Friendly : response.Formal;
        if (string.IsNullOrWhiteSpace(text))
        {
            tone = tone == ToneOfVoice.Friendly ? ToneOfVoice.Formal : ToneOfVoice.Friendly;
            text = tone == ToneOfVoice.Friendly ? response.Friendly : response.Formal;
        }
        var values = new Dictionary<string, string?>
        {
            ["customer.first_name"] = Placeholders.FirstName(customer.Name),
            ["customer.name"] = customer.Name,
            ["customer.email"] = customer.Email,
            ["ticket.number"] = ticket.Number.ToString(CultureInfo.InvariantCulture),
            ["ticket.subject"] = ticket.Subject,
            ["agent.name"] = actor.Name,
            ["agent.first_name"] = Placeholders.FirstName(actor.Name),
            ["workspace.name"] = workspace.Name,
        };
        await db.WriteAsync(() => db.CannedResponses.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.UseCount, c => c.UseCount + 1), ct), ct);
        return TypedResults.Ok(new RenderedCannedResponse(Placeholders.Render(text, values), tone));
    }
}
