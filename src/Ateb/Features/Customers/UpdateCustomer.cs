using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Search;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Customers;

/// <summary>PATCH body: absent fields are left alone; null clears notes and organizationId.</summary>
public sealed record UpdateCustomerRequest(Optional<string> Name, Optional<string?> Notes, Optional<Guid?> OrganizationId);

internal sealed class UpdateCustomer(AtebDb db, TimeProvider clock, OutboxSignal outbox, SearchIndex search)
{
    public const int MaxNotes = 10_000;

    public async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> HandleAsync(Guid id, UpdateCustomerRequest request, Actor actor, CancellationToken ct)
    {
        var customer = await db.Customers.Include(c => c.Identities).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return Problems.NotFound("customer");
        }
        if (customer.MergedIntoId is { } target)
        {
            return Problems.Conflict($"This customer was merged into {target}; change that one.");
        }
        var check = new Check().When(request.Name.IsSet && string.IsNullOrWhiteSpace(request.Name.Value), "name", "must not be empty.")
            .Text("name", request.Name.Value, 200).Text("notes", request.Notes.Value, MaxNotes);
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (request.OrganizationId is { IsSet: true, Value: { } org } && !await db.Organizations.AnyAsync(o => o.Id == org, ct))
        {
            return Problems.NotFound("organization");
        }
        var now = clock.GetUtcNow();
        var changed = false;
        void Set(string field, string? old, string? value, Action apply)
        {
            if (old != value)
            {
                db.AuditEntries.Add(AuditEntry.For(actor, "customer", id, "updated", now, field, old, value));
                apply();
                changed = true;
            }
        }
        var notes = string.IsNullOrWhiteSpace(request.Notes.Value) ? null : request.Notes.Value.Trim();
        if (request.Name.IsSet) Set("name", customer.Name, request.Name.Value!.Trim(), () => customer.Name = request.Name.Value!.Trim());
        if (request.Notes.IsSet) Set("notes", customer.Notes, notes, () => customer.Notes = notes);
        if (request.OrganizationId.IsSet)
        {
            Set("organizationId", customer.OrganizationId?.ToString(), request.OrganizationId.Value?.ToString(), () => customer.OrganizationId = request.OrganizationId.Value);
        }
        if (changed)
        {
            customer.UpdatedAt = now;
            search.QueueCustomer(id);
            await db.SaveChangesAsync(ct);
            outbox.Pulse();
        }
        return TypedResults.Ok(customer.ToResponse());
    }
}
