using System.Text.Json;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Search;
using Ateb.Features.Webhooks;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

/// <summary>PATCH body: absent fields are left alone; null clears assigneeId and teamId.</summary>
public sealed record UpdateTicketRequest(
    Optional<string> Subject, Optional<TicketStatus?> Status, Optional<TicketPriority?> Priority, Optional<Guid?> AssigneeId,
    Optional<Guid?> TeamId, Optional<string[]> Tags, JsonElement? CustomFields);

internal sealed class UpdateTicket(AtebDb db, TicketReferences references, WebhookEvents webhooks, TimeProvider clock, OutboxSignal outbox,
    SearchIndex search)
{
    public async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, UpdateTicketRequest request, string? ifMatch, Actor actor, HttpResponse http, CancellationToken ct)
    {
        var ticket = await db.Tickets.Include(t => t.Tags).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null)
        {
            return Problems.NotFound("ticket");
        }
        if (ifMatch is not null && ifMatch != ticket.ETag() && ifMatch != "*")
        {
            return Problems.Conflict($"The ticket changed since you read it (your version {ifMatch}, current {ticket.ETag()}). Reload and try again.");
        }
        var check = new Check()
            .When(request.Subject.IsSet && string.IsNullOrWhiteSpace(request.Subject.Value), "subject", "must not be empty.")
            .Text("subject", request.Subject.Value, Limits.Subject)
            .When(request.Status.IsSet && request.Status.Value is null, "status", "must not be null.")
            .When(request.Priority.IsSet && request.Priority.Value is null, "priority", "must not be null.");
        var tags = request.Tags.IsSet ? TicketReferences.ValidateTags(request.Tags.Value ?? [], check, "tags") : null;
        var fields = JsonAttributes.Merge(ticket.CustomFields, request.CustomFields, check, "customFields");
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (await references.FindMissingAsync(request.AssigneeId.Value, request.TeamId.Value, null, ct) is { } missing)
        {
            return missing;
        }
        var now = clock.GetUtcNow();
        var changes = new TicketChanges(ticket, actor, now);
        if (request.Status is { IsSet: true, Value: { } status } && ticket.Status != status)
        {
            var old = ticket.Status;
            if (ticket.MoveTo(status, now) is { } refused)
            {
                return Problems.Conflict(refused);
            }
            changes.Record("status", old.ToWire(), status.ToWire());
        }
        if (request.Subject.IsSet) changes.Set("subject", ticket.Subject, request.Subject.Value!.Trim(), v => ticket.Subject = v);
        if (request.Priority is { IsSet: true, Value: { } priority }) changes.Set("priority", ticket.Priority, priority, v => ticket.Priority = v);
        if (request.AssigneeId.IsSet) changes.Set("assigneeId", ticket.AssigneeId, request.AssigneeId.Value, v => ticket.AssigneeId = v);
        if (request.TeamId.IsSet) changes.Set("teamId", ticket.TeamId, request.TeamId.Value, v => ticket.TeamId = v);
        if (tags is not null) changes.ReplaceTags(tags);
        if (fields != ticket.CustomFields) changes.Set("customFields", ticket.CustomFields, fields!, v => ticket.CustomFields = v);
        var requester = await db.RequesterSummaryAsync(ticket.RequesterId, ct);
        if (changes.Entries.Count > 0)
        {
            ticket.Touch(now);
            db.AuditEntries.AddRange(changes.Entries);
            if (request.Subject.IsSet)
            {
                await search.TicketChangedAsync(ticket, ct);
            }
            var response = ticket.ToResponse(requester);
            await webhooks.AddAsync(WebhookEventNames.TicketUpdated, response, ct);
            await db.SaveChangesAsync(ct);
            outbox.Pulse();
        }
        http.Headers.ETag = ticket.ETag();
        return TypedResults.Ok(ticket.ToResponse(requester));
    }
}

/// <summary>Applies field changes to a tracked ticket and writes one audit entry per field that really changed.</summary>
internal sealed class TicketChanges(Ticket ticket, Actor actor, DateTimeOffset now)
{
    public List<AuditEntry> Entries { get; } = [];

    public void Record(string field, string? oldValue, string? newValue) =>
        Entries.Add(AuditEntry.For(actor, "ticket", ticket.Id, "updated", now, field, oldValue, newValue));

    public void Set<T>(string field, T current, T next, Action<T> apply)
    {
        if (EqualityComparer<T>.Default.Equals(current, next))
        {
            return;
        }
        apply(next);
        Record(field, Wire(current), Wire(next));
    }

    public void ReplaceTags(string[] tags)
    {
        var current = ticket.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal).ToArray();
        if (current.SequenceEqual(tags.Order(StringComparer.Ordinal)))
        {
            return;
        }
        ticket.Tags.RemoveAll(t => !tags.Contains(t.Tag));
        ticket.Tags.AddRange(tags.Where(t => !current.Contains(t)).Select(t => new TicketTag { TicketId = ticket.Id, Tag = t, WorkspaceId = ticket.WorkspaceId }));
        Record("tags", string.Join(',', current), string.Join(',', tags.Order(StringComparer.Ordinal)));
    }

    private static string? Wire<T>(T value) => value switch
    {
        null => null,
        TicketPriority p => p.ToString().ToLowerInvariant(),
        _ => value.ToString(),
    };
}
