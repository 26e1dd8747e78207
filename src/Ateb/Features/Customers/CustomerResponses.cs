using System.Text.Json;
using Ateb.Infrastructure.Web;

namespace Ateb.Features.Customers;

public sealed record IdentityResponse(Guid Id, IdentityKind Kind, string Value, string Normalized);

public sealed record CustomerTicketSummary(Guid Id, long Number, string Subject, string Status, DateTimeOffset CreatedAt);

/// <summary>mergedIntoId is set on a customer that was merged into another: its identities, tickets and notes are there now.</summary>
public sealed record CustomerResponse(
    Guid Id, string Name, string[] Emails, string[] Phones, string? Language, string? TimeZone, Guid? OrganizationId,
    JsonElement CustomAttributes, IdentityResponse[] Identities, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    CustomerTicketSummary[]? Tickets, string? Notes, Guid? MergedIntoId);

internal static class CustomerMapping
{
    public static CustomerResponse ToResponse(this Customer c, CustomerTicketSummary[]? tickets = null) => new(
        c.Id, c.Name,
        [.. c.Identities.Where(i => i.Kind == IdentityKind.Email).Select(i => i.Normalized)],
        [.. c.Identities.Where(i => i.Kind == IdentityKind.Phone).Select(i => i.Normalized)],
        c.Language, c.TimeZone, c.OrganizationId, JsonAttributes.Parse(c.CustomAttributes),
        [.. c.Identities.OrderBy(i => i.CreatedAt).Select(i => new IdentityResponse(i.Id, i.Kind, i.Value, i.Normalized))],
        c.CreatedAt, c.UpdatedAt, tickets, c.Notes, c.MergedIntoId);
}
