using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Ateb.Features.Kb;

/// <summary>
/// An article's images and files: POST /api/v1/kb/articles/{id}/files (multipart, one part named "file"), list, fetch and
/// delete by name. Markdown refers to them as <c>files/NAME</c>; the rendered HTML points at the agents' URL
/// (/api/v1/kb/articles/{id}/files/NAME), and the help center swaps that for the public one (/help/files/{id}/NAME), which
/// serves only files of published, public articles of the host's workspace. Every response is nosniff and sandboxed;
/// images are shown inline with the type read from their bytes, everything else is a download.
/// </summary>
internal static class KbFiles
{
    /// <summary>How Markdown refers to a file of its own article: <c>![alt](files/NAME)</c>.</summary>
    public const string MarkdownPrefix = "files/";

    public static string AgentBase(Guid articleId) => $"/api/v1/kb/articles/{articleId}/files/";

    public static string PublicBase(Guid articleId) => $"/help/files/{articleId}/";

    public static string AgentUrl(Guid articleId, string name) => AgentBase(articleId) + Uri.EscapeDataString(name);

    /// <summary>The stored HTML with its file addresses changed to the help center's public ones.</summary>
    public static string ForPublic(string html, Guid articleId) => html.Replace(AgentBase(articleId), PublicBase(articleId), StringComparison.Ordinal);

    public static void MapKbFiles(this RouteGroupBuilder kb)
    {
        kb.MapPost("/articles/{id:guid}/files", UploadAsync).RequireAuthorization(Policies.Agent);
        kb.MapGet("/articles/{id:guid}/files", ListAsync);
        kb.MapGet("/articles/{id:guid}/files/{name}", GetAsync);
        kb.MapDelete("/articles/{id:guid}/files/{name}", DeleteAsync).RequireAuthorization(Policies.Agent);
    }

    private static async Task<Results<Created<KbFileResponse>, ProblemHttpResult>> UploadAsync(Guid id, HttpRequest request, UploadKbFile handler, Actor actor,
        AtebDb db, CancellationToken ct)
    {
        // Another workspace's article is not found, whatever was sent with it.
        if (!await db.KbArticles.AnyAsync(a => a.Id == id, ct))
        {
            return Problems.NotFound("article");
        }
        var (form, unreadable) = await Multipart.ReadAsync(request, "file", ct);
        if (unreadable is not null)
        {
            return unreadable;
        }
        if (form.Files.GetFile("file") is not { } file)
        {
            return Problems.Field("file", "is required: a multipart part named file.");
        }
        await using var stream = file.OpenReadStream();
        return await handler.HandleAsync(id, file.FileName, file.Length, stream, actor, ct);
    }

    internal static async Task<Results<Ok<KbFileResponse[]>, ProblemHttpResult>> ListAsync(Guid id, AtebDb db, CancellationToken ct)
    {
        if (!await db.KbArticles.AnyAsync(a => a.Id == id, ct))
        {
            return Problems.NotFound("article");
        }
        var files = await db.KbFiles.AsNoTracking().Where(f => f.ArticleId == id).OrderBy(f => f.CreatedAt).ThenBy(f => f.Name).ToListAsync(ct);
        return TypedResults.Ok(files.Select(ToResponse).ToArray());
    }

    private static async Task<IResult> GetAsync(Guid id, string name, AtebDb db, IBlobStore blobs, HttpResponse response, CancellationToken ct) =>
        await db.KbFiles.AsNoTracking().FirstOrDefaultAsync(f => f.ArticleId == id && f.Name == name, ct) is { } file
            ? await ServeAsync(file, blobs, response, "private, max-age=60", ct) ?? Problems.NotFound("file")
            : Problems.NotFound("file");

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, string name, Actor actor, AtebDb db, IBlobStore blobs, TimeProvider clock,
        CancellationToken ct)
    {
        var file = await db.KbFiles.FirstOrDefaultAsync(f => f.ArticleId == id && f.Name == name, ct);
        if (file is null)
        {
            return Problems.NotFound("file");
        }
        db.KbFiles.Remove(file);
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_article", id, "file_deleted", clock.GetUtcNow(), "file", file.Name, null));
        await db.SaveChangesAsync(ct);
        // After the row is gone; if this fails the sweeper removes the blob later.
        await blobs.DeleteAsync(file.StorageKey, ct);
        return TypedResults.NoContent();
    }

    /// <summary>A file as the help center serves it: only of a published, public article of the host's workspace.</summary>
    internal static async Task<IResult> ServePublicAsync(Guid articleId, string name, HttpRequest request, AtebDb db, WorkspaceScope scope, IBlobStore blobs,
        CancellationToken ct)
    {
        if (await HelpCenter.EnterAsync(request, db, scope, ct) is null
            || !await db.KbArticles.AnyAsync(a => a.Id == articleId && !a.IsInternal && a.Translations.Any(t => t.State == KbState.Published), ct)
            || await db.KbFiles.AsNoTracking().FirstOrDefaultAsync(f => f.ArticleId == articleId && f.Name == name, ct) is not { } file)
        {
            return Results.NotFound();
        }
        return await ServeAsync(file, blobs, request.HttpContext.Response, "public, max-age=300", ct) ?? Results.NotFound();
    }

    private static async Task<IResult?> ServeAsync(KbFile file, IBlobStore blobs, HttpResponse response, string cacheControl, CancellationToken ct)
    {
        if (await blobs.OpenAsync(file.StorageKey, ct) is not { } stream)
        {
            return null;
        }
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        response.Headers.CacheControl = cacheControl;
        var disposition = new ContentDispositionHeaderValue(file.IsImage ? "inline" : "attachment");
        disposition.SetHttpFileName(file.Name);
        response.Headers.ContentDisposition = disposition.ToString();
        var type = file.ContentType.StartsWith("text/", StringComparison.Ordinal) ? file.ContentType + "; charset=utf-8" : file.ContentType;
        return TypedResults.Stream(stream, type, enableRangeProcessing: true);
    }

    /// <summary>What to paste into the Markdown: an image for images, a link for the rest.</summary>
    public static string MarkdownFor(string name, bool isImage)
    {
        var label = Path.GetFileNameWithoutExtension(name).Replace('-', ' ').Replace('_', ' ');
        return isImage ? $"![{label}]({MarkdownPrefix}{name})" : $"[{name}]({MarkdownPrefix}{name})";
    }

    public static KbFileResponse ToResponse(KbFile f) =>
        new(f.Name, f.ContentType, f.Size, f.IsImage, MarkdownFor(f.Name, f.IsImage), AgentUrl(f.ArticleId, f.Name), f.CreatedAt);
}
