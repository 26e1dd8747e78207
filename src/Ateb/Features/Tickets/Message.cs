using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Tickets;

public enum AuthorKind { Customer, Agent, System, Bot }

public enum Direction { Inbound, Outbound, Internal }

public enum DeliveryStatus { None, Queued, Sent, Failed }

/// <summary>What the channel noticed about a message; stored with it so agents see why it was treated differently.</summary>
[Flags]
public enum MessageFlags
{
    None = 0,
    /// <summary>An auto-reply, bulk or list mail (RFC 3834 and friends): stored, but never reopens a ticket or gets an acknowledgement.</summary>
    AutoSubmitted = 1,
    /// <summary>The receiving server's Authentication-Results said DMARC failed: the sender may be forged.</summary>
    DmarcFailed = 2,
    /// <summary>Claims to come from an agent's own address; it is still treated as the customer's message.</summary>
    FromAgentAddress = 4,
    /// <summary>Remote images were present and are not loaded until an agent asks.</summary>
    RemoteImagesBlocked = 8,
}

internal sealed class Message : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid TicketId { get; set; }
    public AuthorKind AuthorKind { get; init; }
    public Guid? AuthorCustomerId { get; init; }
    /// <summary>The membership of the agent who wrote it.</summary>
    public Guid? AuthorAgentId { get; init; }
    public Channel Channel { get; init; }
    public Direction Direction { get; init; }
    /// <summary>False for internal notes, which customers never see.</summary>
    public bool IsPublic { get; init; } = true;
    public string BodyText { get; init; } = "";
    /// <summary>Allowlist-sanitized HTML, or null when the message was plain text.</summary>
    public string? BodyHtml { get; init; }
    /// <summary>The channel's own id (Message-ID, WhatsApp wamid, client message id): makes ingestion idempotent.</summary>
    public string? ExternalId { get; init; }
    public MessageFlags Flags { get; init; }
    /// <summary>Where quoted history or a signature starts in BodyText; shown folded, kept in full. Null when there is none.</summary>
    public int? FoldAt { get; init; }
    public DeliveryStatus Delivery { get; set; }
    public string? DeliveryError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public List<Attachment> Attachments { get; init; } = [];
}

internal sealed class Attachment : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid MessageId { get; init; }
    /// <summary>Display name only, sanitized; the blob lives under StorageKey.</summary>
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public long Size { get; init; }
    public required string StorageKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>, IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.Property(x => x.AuthorKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Direction).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Delivery).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Flags).HasConversion<int>();
        b.Property(x => x.ExternalId).HasMaxLength(500);
        b.Property(x => x.DeliveryError).HasMaxLength(2000);
        b.HasIndex(x => new { x.TicketId, x.CreatedAt });
        // NULLs are distinct in both SQLite and PostgreSQL, so messages without an external id never collide.
        b.HasIndex(x => new { x.WorkspaceId, x.Channel, x.ExternalId }).IsUnique();
        b.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Attachments).WithOne().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.Property(x => x.FileName).HasMaxLength(Limits.FileName);
        b.Property(x => x.ContentType).HasMaxLength(100);
        b.Property(x => x.StorageKey).HasMaxLength(200);
        b.HasIndex(x => x.StorageKey).IsUnique();
    }
}
