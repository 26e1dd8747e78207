using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Customers;

public sealed record IdentityInput(IdentityKind Kind, string Value);

/// <summary>
/// Finds the customer behind an identity or creates one. The unique index on (workspace, kind, normalized)
/// decides races: the loser of a concurrent create re-reads the winner's row instead of duplicating it.
/// Call it inside the caller's transaction and before adding other entities: it saves, and on a lost race it clears
/// the change tracker (EF Core rolls the failed save back to its savepoint, so the transaction stays usable).
/// </summary>
internal sealed class CustomerDirectory(AtebDb db, TimeProvider clock)
{
    // From the identity side, so the unique (workspace, kind, normalized) index finds it; asking Customers for one
    // whose identities match made SQLite scan every customer (5 s per create at a million tickets).
    public async Task<Customer?> FindAsync(IdentityKind kind, string normalized, CancellationToken ct) =>
        await db.CustomerIdentities.Where(i => i.Kind == kind && i.Normalized == normalized)
            .Join(db.Customers, i => i.CustomerId, c => c.Id, (i, c) => c)
            .FirstOrDefaultAsync(ct);

    /// <param name="identities">Already validated; normalized values go in second.</param>
    public async Task<Customer> FindOrCreateAsync(IReadOnlyList<(IdentityInput Input, string Normalized)> identities, string? name,
        string? language, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            foreach (var (input, normalized) in identities)
            {
                if (await FindAsync(input.Kind, normalized, ct) is { } found)
                {
                    return found;
                }
            }
            var now = clock.GetUtcNow();
            var customer = new Customer
            {
                Name = string.IsNullOrWhiteSpace(name) ? DefaultName(identities) : name.Trim(),
                Language = language,
                CreatedAt = now,
                UpdatedAt = now,
            };
            customer.Identities.AddRange(identities.Select(i => new CustomerIdentity
            {
                Kind = i.Input.Kind, Value = i.Input.Value.Trim(), Normalized = i.Normalized, CreatedAt = now,
            }));
            db.Customers.Add(customer);
            try
            {
                await db.SaveChangesAsync(ct);
                return customer;
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation() && attempt < 3 && identities.Count > 0)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static string DefaultName(IReadOnlyList<(IdentityInput Input, string Normalized)> identities) =>
        identities.Count == 0 ? "Unknown customer"
        : identities[0].Input.Kind == IdentityKind.Email ? identities[0].Normalized.Split('@')[0]
        : identities[0].Normalized;
}
