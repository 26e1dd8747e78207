using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Webhooks;

/// <summary>A business's endpoint that receives signed events (Standard Webhooks format).</summary>
internal sealed class WebhookSubscription : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Url { get; set; }
    /// <summary>Comma-separated event names, or "*".</summary>
    public required string Events { get; set; }
    /// <summary>whsec_ + base64 key, encrypted at rest with Data Protection.</summary>
    public required string ProtectedSecret { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; init; }

    public bool Wants(string eventName) =>
        Active && (Events == "*" || Events.Split(',').Contains(eventName, StringComparer.Ordinal));
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> b)
    {
        b.Property(x => x.Url).HasMaxLength(2000);
        b.Property(x => x.Events).HasMaxLength(1000);
        b.Property(x => x.ProtectedSecret).HasMaxLength(1000);
        b.HasIndex(x => x.WorkspaceId);
    }
}
