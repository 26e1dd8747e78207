using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Customers;

internal sealed class Customer : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public string? Language { get; set; }
    public string? TimeZone { get; set; }
    public Guid? OrganizationId { get; set; }
    /// <summary>A JSON object of scalar values, validated on the way in.</summary>
    public string CustomAttributes { get; set; } = "{}";
    /// <summary>Free text agents keep about the customer.</summary>
    public string? Notes { get; set; }
    /// <summary>Set when this customer was merged into another: everything moved there; this row stays so old links explain themselves.</summary>
    public Guid? MergedIntoId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<CustomerIdentity> Identities { get; init; } = [];
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Language).HasMaxLength(35);
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.HasIndex(x => new { x.WorkspaceId, x.CreatedAt });
        b.HasOne<Organizations.Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Identities).WithOne().HasForeignKey(x => x.CustomerId);
    }
}
