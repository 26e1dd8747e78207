using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Infrastructure.Outbox;

public enum OutboxState { Pending, Done, Dead }

/// <summary>
/// Work to do outside the database (send a mail, call a webhook), written in the same SaveChanges as the
/// change that caused it. Done only after the send succeeded; a crash mid-send retries with the same key.
/// </summary>
public sealed class OutboxMessage : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    /// <summary>Which IOutboxSender handles it, e.g. "webhook".</summary>
    public required string Kind { get; init; }
    public required string Payload { get; init; }
    /// <summary>Sent with every attempt (Message-ID, webhook-id) so the receiver can drop duplicates.</summary>
    public required string IdempotencyKey { get; init; }
    public OutboxState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>While set in the future, one dispatcher owns the row; after a crash the lease simply runs out.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.Property(x => x.Kind).HasMaxLength(40);
        b.Property(x => x.IdempotencyKey).HasMaxLength(200);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => new { x.Kind, x.State, x.NextAttemptAt });
        b.HasIndex(x => x.IdempotencyKey).IsUnique();
    }
}
