using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Kb;

public enum KbArticleKind { Article, Faq }

public enum KbState { Draft, Published }

/// <summary>A category, or a section inside one (ParentId set); its names per language are KbCategoryNames.</summary>
internal sealed class KbCategory : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid? ParentId { get; set; }
    public int Position { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public List<KbCategoryName> Names { get; init; } = [];
}

internal sealed class KbCategoryName : ITenantOwned
{
    public Guid CategoryId { get; init; }
    public Guid WorkspaceId { get; set; }
    public required string Language { get; init; }
    public required string Name { get; set; }
    public string? Description { get; set; }
}

/// <summary>
/// One answer, in as many languages as it has translations. Internal articles are for agents only; the owner reviews it by
/// ReviewBy; readers and agents can report it outdated.
/// </summary>
internal sealed class KbArticle : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid? CategoryId { get; set; }
    public KbArticleKind Kind { get; set; }
    public bool IsInternal { get; set; }
    /// <summary>The membership responsible for keeping it true.</summary>
    public Guid? OwnerId { get; set; }
    public DateOnly? ReviewBy { get; set; }
    public int OutdatedReports { get; set; }
    public DateTimeOffset? OutdatedSince { get; set; }
    public Guid? SourceTicketId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<KbTranslation> Translations { get; init; } = [];
}

/// <summary>An article in one language (a BCP-47 tag): Markdown as written, HTML rendered and sanitized, draft or published.</summary>
internal sealed class KbTranslation : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid ArticleId { get; init; }
    public required string Language { get; init; }
    public required string Title { get; set; }
    public string Markdown { get; set; } = "";
    public string Html { get; set; } = "";
    public KbState State { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

/// <summary>Every saved version of a translation, newest last: who changed what, and a way back.</summary>
internal sealed class KbRevision : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid TranslationId { get; init; }
    public int Version { get; init; }
    public required string Title { get; init; }
    public required string Markdown { get; init; }
    public required string AuthorName { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class KbConfiguration : IEntityTypeConfiguration<KbCategory>, IEntityTypeConfiguration<KbCategoryName>,
    IEntityTypeConfiguration<KbArticle>, IEntityTypeConfiguration<KbTranslation>, IEntityTypeConfiguration<KbRevision>
{
    public void Configure(EntityTypeBuilder<KbCategory> b)
    {
        b.HasOne<KbCategory>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Names).WithOne().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<KbCategoryName> b)
    {
        b.HasKey(x => new { x.CategoryId, x.Language });
        b.Property(x => x.Language).HasMaxLength(35);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(1000);
    }

    public void Configure(EntityTypeBuilder<KbArticle> b)
    {
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.HasOne<KbCategory>().WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Translations).WithOne().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.WorkspaceId, x.ReviewBy });
    }

    public void Configure(EntityTypeBuilder<KbTranslation> b)
    {
        b.Property(x => x.Language).HasMaxLength(35);
        b.Property(x => x.Title).HasMaxLength(300);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => new { x.ArticleId, x.Language }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<KbRevision> b)
    {
        b.Property(x => x.Title).HasMaxLength(300);
        b.Property(x => x.AuthorName).HasMaxLength(200);
        b.HasIndex(x => new { x.TranslationId, x.Version }).IsUnique();
        b.HasOne<KbTranslation>().WithMany().HasForeignKey(x => x.TranslationId).OnDelete(DeleteBehavior.Cascade);
    }
}
