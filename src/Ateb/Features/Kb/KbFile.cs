using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Kb;

/// <summary>
/// An image or file of an article, shared by all its translations. Markdown refers to it by <see cref="Name"/>
/// (<c>![alt](files/NAME)</c>); the bytes live in the blob store under <see cref="StorageKey"/>.
/// </summary>
internal sealed class KbFile : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid ArticleId { get; init; }
    /// <summary>Unique within the article, safe in a Markdown link and a URL path segment (see <see cref="KbFileTypes.MarkdownName"/>).</summary>
    public required string Name { get; init; }
    /// <summary>Decided by us from the bytes (images, PDF, zip-based documents) or the extension (text), never taken from the upload.</summary>
    public required string ContentType { get; init; }
    public long Size { get; init; }
    public required string StorageKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public bool IsImage => KbFileTypes.IsImage(ContentType);
}

internal sealed class KbFileConfiguration : IEntityTypeConfiguration<KbFile>
{
    public void Configure(EntityTypeBuilder<KbFile> b)
    {
        b.Property(x => x.Name).HasMaxLength(KbFileTypes.MaxNameLength);
        b.Property(x => x.ContentType).HasMaxLength(100);
        b.Property(x => x.StorageKey).HasMaxLength(200);
        b.HasIndex(x => new { x.ArticleId, x.Name }).IsUnique();
        b.HasIndex(x => x.StorageKey).IsUnique();
        b.HasOne<KbArticle>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record KbFileResponse(string Name, string ContentType, long Size, bool IsImage, string Markdown, string Url, DateTimeOffset CreatedAt);
