using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Agents;

/// <summary>An account's seat in one workspace, with its role there. "Agent" in the API means a membership.</summary>
internal sealed class Membership : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid AccountId { get; init; }
    public AgentAccount? Account { get; set; }
    public Role Role { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> b)
    {
        b.HasIndex(x => new { x.WorkspaceId, x.AccountId }).IsUnique();
        b.HasIndex(x => x.AccountId);
        b.HasOne(x => x.Account).WithMany().HasForeignKey(x => x.AccountId);
        b.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId);
        b.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
    }
}
