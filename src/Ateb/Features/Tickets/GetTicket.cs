using System.Linq.Expressions;
using Ateb.Features.Customers;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

internal sealed class GetTicket(AtebDb db)
{
    public async Task<Results<Ok<TicketDetailResponse>, ProblemHttpResult>> HandleAsync(Guid id, bool includeInternal, HttpResponse response, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().Include(t => t.Tags).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null)
        {
            return Problems.NotFound("ticket");
        }
        var messages = await db.Messages.AsNoTracking().Include(m => m.Attachments)
            .Where(m => m.TicketId == id && (includeInternal || m.IsPublic))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        var links = await db.TicketLinks.AsNoTracking().Where(l => l.TicketId == id)
            .Join(db.Tickets, l => l.LinkedTicketId, t => t.Id, (l, t) => new LinkResponse(t.Id, t.Number, l.Kind))
            .ToListAsync(ct);
        var requester = await db.RequesterSummaryAsync(ticket.RequesterId, ct);
        response.Headers.ETag = ticket.ETag();
        return TypedResults.Ok(new TicketDetailResponse(ticket.ToResponse(requester), [.. messages.Select(m => m.ToResponse())], [.. links]));
    }
}

internal static class TicketQueries
{
    /// <summary>The requester as lists and details show them: name and first email.</summary>
    public static readonly Expression<Func<Customer, RequesterSummary>> Summary = c => new RequesterSummary(c.Id, c.Name,
        c.Identities.Where(i => i.Kind == IdentityKind.Email).OrderBy(i => i.CreatedAt).Select(i => i.Normalized).FirstOrDefault());

    public static Task<RequesterSummary> RequesterSummaryAsync(this AtebDb db, Guid customerId, CancellationToken ct) =>
        db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(Summary).FirstAsync(ct);
}
