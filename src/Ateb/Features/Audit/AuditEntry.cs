using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Audit;

/// <summary>One change to one field of one record: who, what, old to new, when.</summary>
internal sealed class AuditEntry : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string EntityType { get; init; }
    public Guid EntityId { get; init; }
    /// <summary>account id of the agent, or null for the system or a customer.</summary>
    public Guid? ActorAccountId { get; init; }
    public required string ActorName { get; init; }
    public required string Action { get; init; }
    public string? Field { get; init; }
    public string? OldValue { get; init; }
    public string? NewValue { get; init; }
    public DateTimeOffset At { get; init; }

    public static AuditEntry For(Actor? actor, string entityType, Guid entityId, string action, DateTimeOffset at,
        string? field = null, string? oldValue = null, string? newValue = null) => new()
    {
        WorkspaceId = actor?.WorkspaceId ?? Guid.Empty,
        EntityType = entityType,
        EntityId = entityId,
        ActorAccountId = actor?.AccountId,
        ActorName = actor?.Name ?? "system",
        Action = action,
        Field = field,
        OldValue = Clip(oldValue),
        NewValue = Clip(newValue),
        At = at,
    };

    private static string? Clip(string? value) => value is null ? null : Infrastructure.Text.Truncate.ToLength(value, 1000);
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(x => x.EntityType).HasMaxLength(40);
        b.Property(x => x.ActorName).HasMaxLength(200);
        b.Property(x => x.Action).HasMaxLength(40);
        b.Property(x => x.Field).HasMaxLength(100);
        b.HasIndex(x => new { x.WorkspaceId, x.EntityId, x.At });
    }
}
