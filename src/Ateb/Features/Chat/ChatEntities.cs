using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Chat;

/// <summary>A workspace's live-chat settings: one row per workspace, made with defaults on first use.</summary>
internal sealed class ChatSettings : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>#rrggbb, the widget's launcher and header colour.</summary>
    public string BrandColor { get; set; } = "#0f766e";
    /// <summary>JSON object of BCP-47 tag to greeting; the widget shows the visitor's language, else the workspace's default.</summary>
    public string Greetings { get; set; } = "{}";
    /// <summary>Origins (scheme://host[:port]) allowed to embed the widget, one per line; the help center's own origin always is.</summary>
    public string AllowedOrigins { get; set; } = "";
    /// <summary>Data Protection-encrypted secret for the host site's HMAC of its user id; made on first use.</summary>
    public string? IdentitySecretProtected { get; set; }
    public PreChatForm PreChat { get; set; } = PreChatForm.Optional;
    /// <summary>Concurrent chats one agent takes at most.</summary>
    public int MaxChatsPerAgent { get; set; } = 3;
    /// <summary>Visitors waiting at most; beyond it the widget offers the contact form.</summary>
    public int MaxQueue { get; set; } = 10;
    /// <summary>How long an agent has to accept an offer before it moves to the next agent.</summary>
    public int OfferSeconds { get; set; } = 30;
    /// <summary>The team new chats are routed to; null means any agent of the workspace.</summary>
    public Guid? TeamId { get; set; }
    /// <summary>Chat is open only within the workspace's business hours (Workspace.BusinessHours).</summary>
    public bool UseBusinessHours { get; set; } = true;
    public DateTimeOffset UpdatedAt { get; set; }

    public const int MaxOrigins = 50;
    public const int MaxGreeting = 500;
}

/// <summary>Someone using the widget. Anonymous visitors get a customer of their own (identity ChatVisitor); a visitor
/// the host site vouched for (HMAC of its user id) joins the customer with that External identity and their history.</summary>
internal sealed class ChatVisitor : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid CustomerId { get; set; }
    /// <summary>The host site's user id, only when verified.</summary>
    public string? ExternalUserId { get; init; }
    public bool Verified { get; init; }
    public string? Name { get; set; }
    /// <summary>What the pre-chat form said; for an unverified visitor it is contact information only, never an identity.</summary>
    public string? Email { get; set; }
    public string? Language { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastSeenAt { get; set; }
}

/// <summary>One chat: the live state beside its ticket (channel chat), which holds the messages.</summary>
internal sealed class ChatConversation : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid TicketId { get; set; }
    public Guid VisitorId { get; init; }
    public Guid? TeamId { get; set; }
    public ChatState State { get; set; } = ChatState.Queued;
    /// <summary>Queue order; kept when an agent's disconnect puts the chat back, so the visitor does not lose their place.</summary>
    public DateTimeOffset QueuedAt { get; set; }
    public Guid? OfferedToId { get; set; }
    public DateTimeOffset? OfferExpiresAt { get; set; }
    /// <summary>Memberships that declined or let an offer lapse, comma-separated; not offered again unless no one else is free.</summary>
    public string Declined { get; set; } = "";
    /// <summary>The membership handling the chat.</summary>
    public Guid? AgentId { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public ChatAuthor? EndedBy { get; set; }
    public int? Rating { get; set; }
    public string? RatingComment { get; set; }
    public string? PageUrl { get; set; }
    public string? PageTitle { get; set; }
    /// <summary>Latest message of the visitor's side that an agent's client received / showed.</summary>
    public Guid? AgentDeliveredUpTo { get; set; }
    public Guid? AgentReadUpTo { get; set; }
    /// <summary>Latest message of the agents' side that the visitor's client received / showed.</summary>
    public Guid? VisitorDeliveredUpTo { get; set; }
    public Guid? VisitorReadUpTo { get; set; }
    public DateTimeOffset? TranscriptSentAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Optimistic concurrency: offers, accepts, transfers and ends race between nodes.</summary>
    public long Version { get; set; } = 1;

    public IEnumerable<Guid> DeclinedIds() =>
        Declined.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty);
}

/// <summary>An agent's chat availability (their switch), per seat.</summary>
internal sealed class ChatAgentStatus : ITenantOwned
{
    public Guid MembershipId { get; init; }
    public Guid WorkspaceId { get; set; }
    public bool Available { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A live agent connection (a hub connection or a workspace circuit) on some node. An agent is online while
/// one is fresh (SeenAt renewed by a heartbeat); a node that dies leaves rows that simply go stale.</summary>
internal sealed class ChatAgentConnection : ITenantOwned
{
    public required string Id { get; init; }
    public Guid WorkspaceId { get; set; }
    public Guid MembershipId { get; init; }
    public required string Node { get; init; }
    public DateTimeOffset SeenAt { get; set; }
}

internal sealed class ChatConfiguration : IEntityTypeConfiguration<ChatSettings>, IEntityTypeConfiguration<ChatVisitor>,
    IEntityTypeConfiguration<ChatConversation>, IEntityTypeConfiguration<ChatAgentStatus>, IEntityTypeConfiguration<ChatAgentConnection>
{
    public void Configure(EntityTypeBuilder<ChatSettings> b)
    {
        b.HasIndex(x => x.WorkspaceId).IsUnique();
        b.Property(x => x.BrandColor).HasMaxLength(7);
        b.Property(x => x.Greetings).HasMaxLength(20_000);
        b.Property(x => x.AllowedOrigins).HasMaxLength(20_000);
        b.Property(x => x.IdentitySecretProtected).HasMaxLength(1000);
        b.Property(x => x.PreChat).HasConversion<string>().HasMaxLength(16);
    }

    public void Configure(EntityTypeBuilder<ChatVisitor> b)
    {
        b.Property(x => x.ExternalUserId).HasMaxLength(CustomerIdentity.MaxValueLength);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.Email).HasMaxLength(CustomerIdentity.MaxValueLength);
        b.Property(x => x.Language).HasMaxLength(35);
        b.HasIndex(x => x.CustomerId);
        b.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ChatConversation> b)
    {
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.EndedBy).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Declined).HasMaxLength(4000);
        b.Property(x => x.RatingComment).HasMaxLength(2000);
        b.Property(x => x.PageUrl).HasMaxLength(2000);
        b.Property(x => x.PageTitle).HasMaxLength(500);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.TicketId).IsUnique();
        b.HasIndex(x => new { x.VisitorId, x.CreatedAt });
        // The router's and each agent's questions: who is waiting (in order), what does this agent hold.
        b.HasIndex(x => new { x.WorkspaceId, x.State, x.QueuedAt });
        b.HasIndex(x => new { x.AgentId, x.State });
        b.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChatVisitor>().WithMany().HasForeignKey(x => x.VisitorId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ChatAgentStatus> b) => b.HasKey(x => x.MembershipId);

    public void Configure(EntityTypeBuilder<ChatAgentConnection> b)
    {
        b.Property(x => x.Id).HasMaxLength(100);
        b.Property(x => x.Node).HasMaxLength(100);
        b.HasIndex(x => new { x.WorkspaceId, x.MembershipId });
    }
}
