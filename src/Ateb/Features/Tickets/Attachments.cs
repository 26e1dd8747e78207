using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Ateb.Features.Tickets;

internal static class Attachments
{
    // Types a browser cannot run script from; anything else (HTML, SVG, XML...) is served as opaque bytes.
    private static readonly HashSet<string> InlineSafe =
        ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "audio/mpeg", "audio/ogg", "video/mp4"];

    public static async Task<IResult> DownloadAsync(Guid id, AtebDb db, IBlobStore blobs, HttpResponse response, CancellationToken ct)
    {
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return await ServeAsync(attachment, blobs, response, ct);
    }

    /// <summary>Sends an attachment the caller may see: never sniffed, never run, named as it was sent.</summary>
    public static async Task<IResult> ServeAsync(Attachment? attachment, IBlobStore blobs, HttpResponse response, CancellationToken ct)
    {
        var stream = attachment is null ? null : await blobs.OpenAsync(attachment.StorageKey, ct);
        if (attachment is null || stream is null)
        {
            return Problems.NotFound("attachment");
        }
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(attachment.FileName);
        response.Headers.ContentDisposition = disposition.ToString();
        var type = InlineSafe.Contains(attachment.ContentType) ? attachment.ContentType : "application/octet-stream";
        return TypedResults.Stream(stream, type, enableRangeProcessing: true);
    }
}
