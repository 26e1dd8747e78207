using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Features.Search;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Search;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Customers;

public sealed record CustomerPage(CustomerResponse[] Items, string? NextCursor);

internal static class CustomersFeature
{
    public static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddScoped<CustomerDirectory>();
        services.AddScoped<CreateCustomer>();
        services.AddScoped<UpdateCustomer>();
        services.AddScoped<MergeCustomers>();
        return services;
    }

    public static void MapCustomers(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/customers").WithTags("Customers").RequireAuthorization(Policies.Member);
        group.MapPost("/", (CreateCustomerRequest body, CreateCustomer handler, Actor actor, CancellationToken ct) => handler.HandleAsync(body, actor, ct))
            .RequireAuthorization(Policies.Agent);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPatch("/{id:guid}", (Guid id, UpdateCustomerRequest body, UpdateCustomer handler, Actor actor, CancellationToken ct) =>
            handler.HandleAsync(id, body, actor, ct)).RequireAuthorization(Policies.Agent);
        group.MapPost("/{id:guid}/merge", (Guid id, MergeCustomersRequest body, MergeCustomers handler, Actor actor, CancellationToken ct) =>
            handler.HandleAsync(id, body, actor, ct)).RequireAuthorization(Policies.Agent);
    }

    /// <summary>Most text matches a customer list filters by (the newest, like the ticket list's).</summary>
    public const int TextMatches = 1000;

    /// <summary>
    /// GET /customers: newest first. q goes through the search engine (names in any spelling: «علي» finds «علی», «Gymraeg»
    /// mutations, parts of an address, a phone number's digits as typed, the last word as a prefix); a whole email address
    /// or phone number in any format that a customer has finds exactly that customer.
    /// </summary>
    internal static async Task<Results<Ok<CustomerPage>, ProblemHttpResult>> ListAsync(
        AtebDb db, ISearchEngine engine, Actor actor, string? q, string? cursor, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 100);
        // Merged customers live on in their target; they stay reachable by id only.
        var query = db.Customers.AsNoTracking().Include(c => c.Identities).Where(c => c.MergedIntoId == null);
        if (!string.IsNullOrWhiteSpace(q))
        {
            if (q.Length > 200)
            {
                return Problems.Field("q", "must be at most 200 characters.");
            }
            // A whole address or number that someone has is an exact question: only they are the answer.
            var exact = await ExactIdentitiesAsync(db, q, ct);
            if (await query.AnyAsync(c => c.Identities.Any(i => exact.Contains(i.Normalized)), ct))
            {
                query = query.Where(c => c.Identities.Any(i => exact.Contains(i.Normalized)));
            }
            else
            {
                var parsed = TextNormalizer.ParseQuery(q);
                var ids = parsed.IsEmpty ? [] : (await engine.SearchAsync(db, actor.WorkspaceId,
                        SearchQuery.From(parsed, !char.IsWhiteSpace(q[^1]), [SearchKinds.Customer], includeInternal: true, TextMatches), ct))
                    .Select(h => h.EntityId).ToList();
                query = query.Where(c => ids.Contains(c.Id));
            }
        }
        if (cursor is not null)
        {
            if (!Guid.TryParse(cursor, out var after))
            {
                return Problems.Field("cursor", "is not a cursor returned by this endpoint.");
            }
            query = query.Where(c => c.Id.CompareTo(after) < 0);
        }
        var rows = await query.OrderByDescending(c => c.Id).Take(take + 1).ToListAsync(ct);
        var next = rows.Count > take ? rows[take - 1].Id.ToString() : null;
        return TypedResults.Ok(new CustomerPage([.. rows.Take(take).Select(c => c.ToResponse())], next));
    }

    /// <summary>The identity keys a whole address or number in q stands for (email lower-cased, phone as E.164).</summary>
    private static async Task<List<string>> ExactIdentitiesAsync(AtebDb db, string q, CancellationToken ct)
    {
        var keys = new List<string> { q.Trim() };
        if (ContactAddresses.NormalizeEmail(q) is { } email)
        {
            keys.Add(email);
        }
        if (q.Count(char.IsDigit) >= 5)
        {
            var region = await db.Workspaces.Where(w => w.Id == db.CurrentWorkspaceId).Select(w => w.PhoneRegion).FirstOrDefaultAsync(ct);
            if (ContactAddresses.NormalizePhone(q, region) is { } phone)
            {
                keys.Add(phone);
            }
        }
        return keys;
    }

    internal static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> GetAsync(Guid id, AtebDb db, CancellationToken ct) =>
        await db.CustomerDetailAsync(id, ct) is { } customer ? TypedResults.Ok(customer) : Problems.NotFound("customer");

    /// <summary>The customer with identities and their latest 100 tickets, or null.</summary>
    public static async Task<CustomerResponse?> CustomerDetailAsync(this AtebDb db, Guid id, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().Include(c => c.Identities).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return null;
        }
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.RequesterId == id).OrderByDescending(t => t.Number).Take(100)
            .Select(t => new { t.Id, t.Number, t.Subject, t.Status, t.CreatedAt }).ToListAsync(ct);
        return customer.ToResponse([.. tickets.Select(t => new CustomerTicketSummary(t.Id, t.Number, t.Subject, t.Status.ToWire(), t.CreatedAt))]);
    }
}
