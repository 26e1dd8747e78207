using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Tickets;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.Property(x => x.Subject).HasMaxLength(Limits.Subject);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Priority).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.ThreadKey).HasMaxLength(300);
        b.HasIndex(x => new { x.WorkspaceId, x.ThreadKey }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.Number }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.Status, x.Number });
        b.HasIndex(x => new { x.WorkspaceId, x.AssigneeId, x.Status, x.Number });
        b.HasIndex(x => new { x.WorkspaceId, x.TeamId, x.Status, x.Number });
        b.HasIndex(x => new { x.WorkspaceId, x.RequesterId, x.Number });
        // Keyset paging by "updated" and by "priority" (one range per priority) on GET /tickets.
        b.HasIndex(x => new { x.WorkspaceId, x.UpdatedAt, x.Number });
        b.HasIndex(x => new { x.WorkspaceId, x.Priority, x.Number });
        // Covers the grouped count behind the inbox views, so it never touches the table.
        b.HasIndex(x => new { x.WorkspaceId, x.Status, x.Priority, x.Channel, x.TeamId, x.AssigneeId }).HasDatabaseName("IX_Tickets_ViewCounts");
        b.HasOne<Customers.Customer>().WithMany().HasForeignKey(x => x.RequesterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Agents.Membership>().WithMany().HasForeignKey(x => x.AssigneeId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Teams.Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Tags).WithOne().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal static class Limits
{
    public const int Subject = 500;
    public const int Body = 256 * 1024;
    public const int Tag = 50;
    public const int Tags = 50;
    public const int Name = 200;
    public const int CustomFields = 50;
    public const int CustomFieldValue = 2000;
    public const int Attachments = 20;
    public const int AttachmentBytes = 10 * 1024 * 1024;
    public const int FileName = 255;
}
