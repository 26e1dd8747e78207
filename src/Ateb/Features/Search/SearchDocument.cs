using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Search;

/// <summary>
/// What the search engines index for one ticket, message or customer: only the normalizer's tokens, so SQLite FTS5 and
/// PostgreSQL full-text search see the same words and return the same results. The integer id is FTS5's rowid.
/// </summary>
internal sealed class SearchDocument : ITenantOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    /// <summary>ticket, message or customer.</summary>
    public required string Kind { get; init; }
    public Guid EntityId { get; init; }
    /// <summary>The ticket a message belongs to, so a hit in any message finds its ticket.</summary>
    public Guid? TicketId { get; set; }
    /// <summary>
    /// "w{workspace} k{kind}" and " internal" for internal notes: FTS5 filters on these inside the index, so the candidate
    /// cap counts only documents of the asked-for kinds (100,000 articles must not crowd out every ticket).
    /// </summary>
    public string Scope { get; set; } = "";
    public string Language { get; set; } = "en";
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL only: the tsvector column, a shadow property written by PostgresSearchEngine.</summary>
    public const string VectorColumn = "Search";
}

internal static class SearchKinds
{
    public const string Ticket = "ticket";
    public const string Message = "message";
    public const string Customer = "customer";
    /// <summary>One published knowledge-base translation (EntityId is the translation's id).</summary>
    public const string Article = "article";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Ticket, Message, Customer, Article };
}

internal sealed class SearchDocumentConfiguration : IEntityTypeConfiguration<SearchDocument>
{
    public void Configure(EntityTypeBuilder<SearchDocument> b)
    {
        b.Property(x => x.Kind).HasMaxLength(16);
        b.Property(x => x.Scope).HasMaxLength(100);
        b.Property(x => x.Language).HasMaxLength(35);
        b.HasIndex(x => new { x.Kind, x.EntityId }).IsUnique();
        b.HasIndex(x => x.TicketId);
    }
}
