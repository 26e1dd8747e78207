using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Customers;

public enum IdentityKind { Email, Phone, WhatsApp, Telegram, Messenger, Instagram, ChatVisitor, External }

/// <summary>One way to reach a customer. (workspace, kind, normalized value) is unique: one identity, one customer.</summary>
internal sealed class CustomerIdentity : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid CustomerId { get; set; }
    public IdentityKind Kind { get; init; }
    /// <summary>As the customer or channel wrote it.</summary>
    public required string Value { get; init; }
    public required string Normalized { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Set when mail to this address bounced permanently, so agents know the customer cannot be reached here.</summary>
    public DateTimeOffset? UndeliverableAt { get; set; }
    public string? UndeliverableReason { get; set; }

    public const int MaxValueLength = 254;

    /// <summary>The matching key for a kind, or null when the value is not valid for it.</summary>
    public static string? Normalize(IdentityKind kind, string? value, string? phoneRegion) => kind switch
    {
        IdentityKind.Email => ContactAddresses.NormalizeEmail(value),
        IdentityKind.Phone or IdentityKind.WhatsApp => ContactAddresses.NormalizePhone(value, phoneRegion),
        _ => string.IsNullOrWhiteSpace(value) || value.Trim().Length > MaxValueLength || value.Contains('\0', StringComparison.Ordinal)
            ? null
            : value.Trim(),
    };
}

internal sealed class CustomerIdentityConfiguration : IEntityTypeConfiguration<CustomerIdentity>
{
    public void Configure(EntityTypeBuilder<CustomerIdentity> b)
    {
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Value).HasMaxLength(CustomerIdentity.MaxValueLength);
        b.Property(x => x.Normalized).HasMaxLength(CustomerIdentity.MaxValueLength);
        b.Property(x => x.UndeliverableReason).HasMaxLength(1000);
        b.HasIndex(x => new { x.WorkspaceId, x.Kind, x.Normalized }).IsUnique();
        b.HasIndex(x => x.CustomerId);
    }
}
