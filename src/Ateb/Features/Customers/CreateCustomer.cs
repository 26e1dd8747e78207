using System.Text.Json;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Customers;

public sealed record CreateCustomerRequest(
    string? Name, string[]? Emails, string[]? Phones, IdentityInput[]? Identities, string? Language, string? TimeZone,
    Guid? OrganizationId, JsonElement? CustomAttributes);

internal sealed class CreateCustomer(AtebDb db, TimeProvider clock, Infrastructure.Outbox.OutboxSignal outbox, Search.SearchIndex search)
{
    public async Task<Results<Created<CustomerResponse>, ProblemHttpResult>> HandleAsync(CreateCustomerRequest request, Actor actor, CancellationToken ct)
    {
        var region = await db.Workspaces.Where(w => w.Id == db.CurrentWorkspaceId).Select(w => w.PhoneRegion).FirstOrDefaultAsync(ct);
        var check = new Check().Text("name", request.Name, 200).Text("language", request.Language, 35).Text("timeZone", request.TimeZone, 64)
            .Count("emails", request.Emails, 20).Count("phones", request.Phones, 20).Count("identities", request.Identities, 20)
            .TimeZone("timeZone", request.TimeZone);
        var identities = CustomerInputs.Identities(request.Emails, request.Phones, request.Identities, region, check);
        var attributes = JsonAttributes.Merge("{}", request.CustomAttributes, check, "customAttributes");
        if (request.OrganizationId is { } org && !await db.Organizations.AnyAsync(o => o.Id == org, ct))
        {
            return Problems.NotFound("organization");
        }
        if (!check.Ok)
        {
            return check.Problem();
        }
        foreach (var (input, normalized) in identities)
        {
            if (await db.CustomerIdentities.AnyAsync(i => i.Kind == input.Kind && i.Normalized == normalized, ct))
            {
                return Problems.Conflict($"A customer with {input.Kind.ToString().ToLowerInvariant()} {normalized} already exists.");
            }
        }
        var now = clock.GetUtcNow();
        var customer = new Customer
        {
            Name = request.Name?.Trim() ?? "", Language = request.Language, TimeZone = request.TimeZone,
            OrganizationId = request.OrganizationId, CustomAttributes = attributes!, CreatedAt = now, UpdatedAt = now,
        };
        customer.Identities.AddRange(identities.Select(i => new CustomerIdentity { Kind = i.Input.Kind, Value = i.Input.Value.Trim(), Normalized = i.Normalized, CreatedAt = now }));
        db.Customers.Add(customer);
        db.AuditEntries.Add(AuditEntry.For(actor, "customer", customer.Id, "created", now));
        search.AddCustomer(customer);
        try
        {
            await db.SaveChangesAsync(ct);
            outbox.Pulse();
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Problems.Conflict("A customer with one of these identities was created at the same time.");
        }
        return TypedResults.Created($"/api/v1/customers/{customer.Id}", customer.ToResponse());
    }
}

internal static class CustomerInputs
{
    /// <summary>Validates and normalizes every identity given; duplicates (after normalizing) collapse to one.</summary>
    public static List<(IdentityInput Input, string Normalized)> Identities(
        string[]? emails, string[]? phones, IdentityInput[]? others, string? region, Check check)
    {
        var result = new List<(IdentityInput, string)>();
        void Add(IdentityInput input, string field)
        {
            var normalized = CustomerIdentity.Normalize(input.Kind, input.Value, region);
            if (normalized is null)
            {
                check.Add(field, input.Kind switch
                {
                    IdentityKind.Email => "is not a valid email address.",
                    IdentityKind.Phone or IdentityKind.WhatsApp => "is not a valid phone number (use international format, e.g. +44 29 2000 0000).",
                    _ => "is not a valid identifier.",
                });
            }
            else if (!result.Any(r => r.Item1.Kind == input.Kind && r.Item2 == normalized))
            {
                result.Add((input, normalized));
            }
        }
        for (var i = 0; i < (emails?.Length ?? 0); i++) Add(new(IdentityKind.Email, emails![i] ?? ""), $"emails[{i}]");
        for (var i = 0; i < (phones?.Length ?? 0); i++) Add(new(IdentityKind.Phone, phones![i] ?? ""), $"phones[{i}]");
        for (var i = 0; i < (others?.Length ?? 0); i++) Add(others![i] ?? new(IdentityKind.External, ""), $"identities[{i}].value");
        return result;
    }
}
