using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Tickets;

internal sealed class TicketTag : ITenantOwned
{
    public Guid TicketId { get; init; }
    public required string Tag { get; init; }
    public Guid WorkspaceId { get; set; }

    /// <summary>Tags are lower-cased and trimmed so "Billing" and "billing " are one tag.</summary>
    public static string Normalize(string tag) => tag.Trim().ToLowerInvariant();
}

internal sealed class TicketLink : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid TicketId { get; init; }
    public Guid LinkedTicketId { get; init; }
    /// <summary>related, merged_into, merged_from, follow_up_of</summary>
    public required string Kind { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class TicketTagConfiguration : IEntityTypeConfiguration<TicketTag>, IEntityTypeConfiguration<TicketLink>
{
    public void Configure(EntityTypeBuilder<TicketTag> b)
    {
        b.HasKey(x => new { x.TicketId, x.Tag });
        b.Property(x => x.Tag).HasMaxLength(Limits.Tag);
        b.HasIndex(x => new { x.WorkspaceId, x.Tag });
    }

    public void Configure(EntityTypeBuilder<TicketLink> b)
    {
        b.Property(x => x.Kind).HasMaxLength(20);
        b.HasIndex(x => new { x.TicketId, x.LinkedTicketId, x.Kind }).IsUnique();
        b.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Ticket>().WithMany().HasForeignKey(x => x.LinkedTicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
