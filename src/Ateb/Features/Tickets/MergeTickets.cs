using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Webhooks;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

public sealed record MergeTicketsRequest(Guid? TargetTicketId);

/// <summary>Moves every message of the source into the target, closes the source with a link, audits both.</summary>
internal sealed class MergeTickets(AtebDb db, WebhookEvents webhooks, TimeProvider clock, OutboxSignal outbox)
{
    public async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> HandleAsync(Guid sourceId, MergeTicketsRequest request, Actor actor, CancellationToken ct)
    {
        if (request.TargetTicketId is not { } targetId)
        {
            return Problems.Field("targetTicketId", "is required.");
        }
        if (targetId == sourceId)
        {
            return Problems.Field("targetTicketId", "must be another ticket.");
        }
        var pair = await db.Tickets.Include(t => t.Tags).Where(t => t.Id == sourceId || t.Id == targetId).ToListAsync(ct);
        var source = pair.Find(t => t.Id == sourceId);
        var target = pair.Find(t => t.Id == targetId);
        if (source is null)
        {
            return Problems.NotFound("ticket");
        }
        if (target is null)
        {
            return Problems.NotFound("target ticket");
        }
        if (source.MergedIntoId is not null || target.MergedIntoId is not null || target.Status == TicketStatus.Closed)
        {
            return Problems.Conflict("Merged tickets and closed targets cannot take part in a merge.");
        }
        var now = clock.GetUtcNow();
        var moved = await db.Messages.Where(m => m.TicketId == sourceId).ToListAsync(ct);
        moved.ForEach(m => m.TicketId = targetId);
        foreach (var tag in source.Tags.Where(s => target.Tags.All(t => t.Tag != s.Tag)))
        {
            target.Tags.Add(new TicketTag { TicketId = targetId, Tag = tag.Tag, WorkspaceId = target.WorkspaceId });
        }
        source.MergeInto(target, now);
        target.Touch(now);
        db.TicketLinks.AddRange(
            new TicketLink { TicketId = sourceId, LinkedTicketId = targetId, Kind = "merged_into", CreatedAt = now },
            new TicketLink { TicketId = targetId, LinkedTicketId = sourceId, Kind = "merged_from", CreatedAt = now });
        db.AuditEntries.AddRange(
            AuditEntry.For(actor, "ticket", sourceId, "merged_into", now, "mergedIntoId", null, $"#{target.Number}"),
            AuditEntry.For(actor, "ticket", targetId, "merged_from", now, "messages", null, $"#{source.Number} ({moved.Count} messages)"));
        var response = target.ToResponse(await db.RequesterSummaryAsync(target.RequesterId, ct));
        await webhooks.AddAsync(WebhookEventNames.TicketMerged, new { sourceTicketId = sourceId, target = response }, ct);
        await db.SaveChangesAsync(ct);
        if (webhooks.Added > 0)
        {
            outbox.Pulse();
        }
        return TypedResults.Ok(response);
    }
}
