using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Organizations;

internal sealed class Organization : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    /// <summary>Email domains whose senders belong to this organization, comma-separated and lower-cased.</summary>
    public string Domains { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Domains).HasMaxLength(2000);
        b.HasIndex(x => new { x.WorkspaceId, x.Name }).IsUnique();
    }
}
