using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.CannedResponses;

/// <summary>
/// A saved answer with a friendly and a formal wording (at least one), so the composer can follow the workspace's tone;
/// the texts may hold <see cref="Placeholders"/>. The shortcut (say "refund") is unique in the workspace.
/// </summary>
internal sealed class CannedResponse : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Title { get; set; }
    public string? Shortcut { get; set; }
    public string Friendly { get; set; } = "";
    public string Formal { get; set; } = "";
    /// <summary>BCP-47 tag of the texts, or null.</summary>
    public string? Language { get; set; }
    public Guid? TeamId { get; set; }
    /// <summary>Memberships of the agents who created and last changed it.</summary>
    public Guid CreatedById { get; init; }
    public Guid UpdatedById { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Bumped in SQL on every render, so concurrent uses all count.</summary>
    public int UseCount { get; set; }
}

internal sealed class CannedResponseConfiguration : IEntityTypeConfiguration<CannedResponse>
{
    public void Configure(EntityTypeBuilder<CannedResponse> b)
    {
        b.Property(x => x.Title).HasMaxLength(CannedResponseRules.MaxTitle);
        b.Property(x => x.Shortcut).HasMaxLength(CannedResponseRules.MaxShortcut);
        b.Property(x => x.Friendly).HasMaxLength(CannedResponseRules.MaxText);
        b.Property(x => x.Formal).HasMaxLength(CannedResponseRules.MaxText);
        b.Property(x => x.Language).HasMaxLength(35);
        // NULLs are distinct on both databases, so any number of responses may have no shortcut.
        b.HasIndex(x => new { x.WorkspaceId, x.Shortcut }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.Title });
        b.HasOne<Teams.Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Agents.Membership>().WithMany().HasForeignKey(x => x.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Agents.Membership>().WithMany().HasForeignKey(x => x.UpdatedById).OnDelete(DeleteBehavior.Restrict);
    }
}
