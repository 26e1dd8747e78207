using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

public sealed record LinkTicketsRequest(Guid? TicketId);

/// <summary>Links two related tickets both ways; linking twice is harmless.</summary>
internal sealed class LinkTickets(AtebDb db, TimeProvider clock)
{
    public async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(Guid id, LinkTicketsRequest request, Actor actor, CancellationToken ct)
    {
        if (request.TicketId is not { } otherId || otherId == id)
        {
            return Problems.Field("ticketId", "must be the id of another ticket.");
        }
        var found = await db.Tickets.Where(t => t.Id == id || t.Id == otherId).Select(t => t.Id).ToListAsync(ct);
        if (!found.Contains(id))
        {
            return Problems.NotFound("ticket");
        }
        if (!found.Contains(otherId))
        {
            return Problems.NotFound("linked ticket");
        }
        if (await db.TicketLinks.AnyAsync(l => l.TicketId == id && l.LinkedTicketId == otherId && l.Kind == "related", ct))
        {
            return TypedResults.NoContent();
        }
        var now = clock.GetUtcNow();
        db.TicketLinks.AddRange(
            new TicketLink { TicketId = id, LinkedTicketId = otherId, Kind = "related", CreatedAt = now },
            new TicketLink { TicketId = otherId, LinkedTicketId = id, Kind = "related", CreatedAt = now });
        db.AuditEntries.AddRange(
            AuditEntry.For(actor, "ticket", id, "linked", now, "links", null, otherId.ToString()),
            AuditEntry.For(actor, "ticket", otherId, "linked", now, "links", null, id.ToString()));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Linked concurrently by someone else: the link exists, which is what was asked.
        }
        return TypedResults.NoContent();
    }
}
