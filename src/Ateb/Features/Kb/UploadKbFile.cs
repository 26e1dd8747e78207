using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Kb;

/// <summary>
/// Adds an image or file to an article, from the API's multipart upload or the editor's upload button. The type comes
/// from the bytes (<see cref="KbFileTypes.Detect"/>); the name is made safe for Markdown and made unique in the article.
/// The blob is written before the row: a failure in between leaves an orphan blob for the sweeper, never a row without bytes.
/// </summary>
internal sealed class UploadKbFile(AtebDb db, IBlobStore blobs, TimeProvider clock)
{
    public async Task<Results<Created<KbFileResponse>, ProblemHttpResult>> HandleAsync(Guid articleId, string? fileName, long length, Stream content, Actor actor,
        CancellationToken ct)
    {
        if (!await db.KbArticles.AnyAsync(a => a.Id == articleId, ct))
        {
            return Problems.NotFound("article");
        }
        var taken = (await db.KbFiles.Where(f => f.ArticleId == articleId).Select(f => f.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var check = new Check().Text("file.fileName", fileName, 1000)
            .When(taken.Count >= KbFileTypes.MaxPerArticle, "file", $"cannot be added: the article has {KbFileTypes.MaxPerArticle} files already; delete one first.")
            .When(length == 0, "file", "is empty.")
            .When(length > KbFileTypes.MaxBytes, "file", $"must be at most {KbFileTypes.MaxBytes / 1024 / 1024} MB (got {length / 1024.0 / 1024.0:0.#} MB).");
        if (!check.Ok)
        {
            return check.Problem();
        }
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        if (buffer.Length > KbFileTypes.MaxBytes)
        {
            return Problems.Field("file", $"must be at most {KbFileTypes.MaxBytes / 1024 / 1024} MB.");
        }
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var (type, error) = KbFileTypes.Detect(fileName ?? "", bytes[..Math.Min(bytes.Length, KbFileTypes.HeadLength)]);
        if (type is null)
        {
            return Problems.Field("file", error!);
        }
        buffer.Position = 0;
        var key = await blobs.PutAsync(buffer, ct);
        var now = clock.GetUtcNow();
        var file = new KbFile
        {
            ArticleId = articleId, Name = KbFileTypes.Unique(KbFileTypes.MarkdownName(fileName), taken), ContentType = type, Size = buffer.Length, StorageKey = key,
            CreatedAt = now,
        };
        db.KbFiles.Add(file);
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_article", articleId, "file_added", now, "file", null, file.Name));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another upload took the same name a moment ago; nothing was kept.
            await blobs.DeleteAsync(key, ct);
            return Problems.Conflict("Another file with this name was added at the same moment; upload it again.");
        }
        return TypedResults.Created(KbFiles.AgentUrl(articleId, file.Name), KbFiles.ToResponse(file));
    }
}
