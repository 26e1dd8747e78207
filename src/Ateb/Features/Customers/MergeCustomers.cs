using System.Text.Json;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Customers;

public sealed record MergeCustomersRequest(Guid? SourceId);

/// <summary>
/// Merges a duplicate (the source) into the customer in the route (the target), in one transaction: identities, tickets
/// they requested, messages they wrote, tickets they take part in and notes move to the target; the target keeps its
/// own name and settings and takes the source's only where it has none. The source stays as a tombstone with
/// MergedIntoId, out of lists and search, so an old link to it says where everything went.
/// </summary>
internal sealed class MergeCustomers(AtebDb db, TimeProvider clock, OutboxSignal outbox, SearchIndex search)
{
    public async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> HandleAsync(Guid targetId, MergeCustomersRequest request, Actor actor, CancellationToken ct)
    {
        if (request.SourceId is not { } sourceId)
        {
            return Problems.Field("sourceId", "is required.");
        }
        if (sourceId == targetId)
        {
            return Problems.Field("sourceId", "must be another customer: a customer cannot be merged into itself.");
        }
        await using (var transaction = await db.BeginWriteAsync(ct))
        {
            // Serialises merges in the workspace, so A→B and B→A at once cannot both pass the checks below.
            await db.LockWorkspaceAsync(ct);
            var pair = await db.Customers.Where(c => c.Id == sourceId || c.Id == targetId).ToListAsync(ct);
            if (pair.Find(c => c.Id == targetId) is not { } target)
            {
                return Problems.NotFound("customer");
            }
            if (pair.Find(c => c.Id == sourceId) is not { } source)
            {
                return Problems.NotFound("source customer");
            }
            if (source.MergedIntoId is not null || target.MergedIntoId is not null)
            {
                return Problems.Conflict("A customer that was already merged into another cannot take part in a merge.");
            }
            var moved = await MoveAsync(sourceId, targetId, ct);
            var now = clock.GetUtcNow();
            Absorb(target, source, now);
            db.AuditEntries.AddRange(
                AuditEntry.For(actor, "customer", targetId, "merged_from", now, "customer", null, $"{source.Name} ({sourceId}): {moved}"),
                AuditEntry.For(actor, "customer", sourceId, "merged_into", now, "mergedIntoId", null, targetId.ToString()));
            search.QueueCustomer(sourceId);
            search.QueueCustomer(targetId);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        outbox.Pulse();
        return TypedResults.Ok((await db.CustomerDetailAsync(targetId, ct))!);
    }

    /// <summary>Moves every row that points at the source; returns a summary for the audit trail.</summary>
    private async Task<string> MoveAsync(Guid sourceId, Guid targetId, CancellationToken ct)
    {
        var identities = await db.CustomerIdentities.Where(i => i.CustomerId == sourceId).ExecuteUpdateAsync(s => s.SetProperty(i => i.CustomerId, targetId), ct);
        var tickets = await db.Tickets.Where(t => t.RequesterId == sourceId).ExecuteUpdateAsync(s => s.SetProperty(t => t.RequesterId, targetId), ct);
        var messages = await db.Messages.Where(m => m.AuthorCustomerId == sourceId).ExecuteUpdateAsync(s => s.SetProperty(m => m.AuthorCustomerId, targetId), ct);

        // Participation: the target joins the source's tickets unless it is already in them or now requests them.
        var joined = await db.TicketParticipants.Where(p => p.CustomerId == sourceId).ToListAsync(ct);
        var ticketIds = joined.Select(p => p.TicketId).ToList();
        var already = await db.TicketParticipants.Where(p => p.CustomerId == targetId && ticketIds.Contains(p.TicketId)).Select(p => p.TicketId)
            .Concat(db.Tickets.Where(t => ticketIds.Contains(t.Id) && t.RequesterId == targetId).Select(t => t.Id)).ToListAsync(ct);
        db.TicketParticipants.RemoveRange(joined);
        db.TicketParticipants.AddRange(joined.Where(p => !already.Contains(p.TicketId))
            .Select(p => new TicketParticipant { TicketId = p.TicketId, CustomerId = targetId, WorkspaceId = p.WorkspaceId, CreatedAt = p.CreatedAt }));
        // The target may have been copied in on tickets the source requested, which it now requests itself.
        await db.TicketParticipants.Where(p => p.CustomerId == targetId && db.Tickets.Any(t => t.Id == p.TicketId && t.RequesterId == targetId))
            .ExecuteDeleteAsync(ct);

        // A chat or WhatsApp thread of the source continues as the target's, unless the target has one open on that channel.
        var sourceKey = $"{sourceId:N}";
        var threaded = await db.Tickets.Where(t => t.RequesterId == targetId && t.ThreadKey != null && t.ThreadKey.EndsWith(sourceKey)).ToListAsync(ct);
        foreach (var ticket in threaded)
        {
            var key = ReceiveMessage.ThreadKeyOf(ticket.Channel, targetId);
            ticket.ThreadKey = await db.Tickets.AnyAsync(t => t.ThreadKey == key, ct) ? null : key;
        }
        return $"{identities} identities, {tickets} tickets, {messages} messages, {joined.Count} participations";
    }

    private static void Absorb(Customer target, Customer source, DateTimeOffset now)
    {
        target.Notes = string.Join("\n\n", new[] { target.Notes, source.Notes }.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct()) is { Length: > 0 } notes
            ? notes : null;
        target.Language ??= source.Language;
        target.TimeZone ??= source.TimeZone;
        target.OrganizationId ??= source.OrganizationId;
        var attributes = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(target.CustomAttributes) ?? [];
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(source.CustomAttributes) ?? [])
        {
            if (attributes.Count < JsonAttributes.MaxKeys)
            {
                attributes.TryAdd(key, value);
            }
        }
        target.CustomAttributes = JsonSerializer.Serialize(attributes);
        target.UpdatedAt = now;
        source.MergedIntoId = target.Id;
        source.UpdatedAt = now;
    }
}
