using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Organizations;

public sealed record CreateOrganizationRequest(string? Name, string[]? Domains);

public sealed record OrganizationResponse(Guid Id, string Name, string[] Domains, DateTimeOffset CreatedAt);

internal static class OrganizationsFeature
{
    public static void MapOrganizations(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/organizations").WithTags("Organizations").RequireAuthorization(Policies.Member);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Agent);
    }

    internal static async Task<OrganizationResponse[]> ListAsync(AtebDb db, CancellationToken ct) =>
        [.. (await db.Organizations.AsNoTracking().OrderBy(o => o.Name).Take(500).ToListAsync(ct)).Select(ToResponse)];

    internal static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> GetAsync(Guid id, AtebDb db, CancellationToken ct) =>
        await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct) is { } o
            ? TypedResults.Ok(ToResponse(o)) : Problems.NotFound("organization");

    internal static async Task<Results<Created<OrganizationResponse>, ProblemHttpResult>> CreateAsync(
        CreateOrganizationRequest body, Actor actor, AtebDb db, TimeProvider clock, CancellationToken ct)
    {
        var domains = (body.Domains ?? []).Select(d => (d ?? "").Trim().ToLowerInvariant()).Distinct().ToArray();
        var check = new Check().Text("name", body.Name, 200, required: true).Count("domains", domains, 50)
            .When(domains.Any(d => d.Length is 0 or > 253 || !d.Contains('.') || d.Any(c => char.IsWhiteSpace(c) || c is ',' or '@')),
                "domains", "must be domain names such as example.com.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var organization = new Organization { Name = body.Name!.Trim(), Domains = string.Join(',', domains), CreatedAt = clock.GetUtcNow() };
        db.Organizations.Add(organization);
        db.AuditEntries.Add(Audit.AuditEntry.For(actor, "organization", organization.Id, "created", organization.CreatedAt, "name", null, organization.Name));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Problems.Conflict("An organization with this name already exists.");
        }
        return TypedResults.Created($"/api/v1/organizations/{organization.Id}", ToResponse(organization));
    }

    private static OrganizationResponse ToResponse(Organization o) =>
        new(o.Id, o.Name, o.Domains.Length == 0 ? [] : o.Domains.Split(','), o.CreatedAt);
}
