using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;

namespace Ateb.Features.Tickets;

public sealed record AttachmentUpload(string? FileName, string? ContentType, string? ContentBase64);

/// <summary>An attachment whose bytes are already in the blob store; rows are made from it per attempt.</summary>
internal sealed record StoredBlob(string Key, long Size, string FileName, string ContentType)
{
    /// <summary>Fixed before the row exists, so a mail's HTML can point its inline images at the attachment.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Attachment ToAttachment(Guid messageId, DateTimeOffset now) =>
        new() { Id = Id, MessageId = messageId, FileName = FileName, ContentType = ContentType, Size = Size, StorageKey = Key, CreatedAt = now };
}

/// <summary>Validation and storage shared by every way a message enters a ticket.</summary>
internal static class MessageBodies
{
    public static void Validate(Check check, string prefix, string? text, string? html, IReadOnlyList<AttachmentUpload>? attachments)
    {
        check.Text(prefix + "text", text, Limits.Body).Text(prefix + "html", html, Limits.Body)
            .When(string.IsNullOrWhiteSpace(text) && string.IsNullOrWhiteSpace(html) && (attachments?.Count ?? 0) == 0,
                prefix + "text", "is required when there is no html and no attachment.")
            .Count(prefix + "attachments", attachments, Limits.Attachments);
        for (var i = 0; i < (attachments?.Count ?? 0); i++)
        {
            var a = attachments![i];
            var field = $"{prefix}attachments[{i}]";
            if (a is null)
            {
                check.Add(field, "must be an object with fileName, contentType and contentBase64.");
                continue;
            }
            check.Text(field + ".fileName", a.FileName, 1000, required: true).Text(field + ".contentType", a.ContentType, 100);
            if (string.IsNullOrEmpty(a.ContentBase64) || DecodedLength(a.ContentBase64) is not { } length)
            {
                check.Add(field + ".contentBase64", "must be base64-encoded file content.");
            }
            else if (length > Limits.AttachmentBytes)
            {
                check.Add(field + ".contentBase64", $"must decode to at most {Limits.AttachmentBytes / 1024 / 1024} MB.");
            }
        }
    }

    public static (string Text, string? Html) Bodies(string? text, string? html)
    {
        if (html is not null && Html.IsTooComplex(html))
        {
            // Parsing pathological markup costs seconds of CPU; keep the words, drop the markup.
            return (!string.IsNullOrEmpty(text) ? text : Html.StripTags(html), null);
        }
        var safeHtml = string.IsNullOrWhiteSpace(html) ? null : Html.Sanitize(html);
        var plain = !string.IsNullOrEmpty(text) ? text : safeHtml is null ? "" : Html.ToText(safeHtml);
        return (plain, safeHtml);
    }

    /// <summary>
    /// Writes the blobs before any database row: a failure here writes nothing to the database, and a crash after it
    /// leaves only orphan blobs, which the sweeper removes; never a row pointing at missing bytes.
    /// </summary>
    public static async Task<List<StoredBlob>> StoreAsync(IBlobStore blobs, IReadOnlyList<AttachmentUpload>? uploads, CancellationToken ct)
    {
        var stored = new List<StoredBlob>();
        foreach (var upload in uploads ?? [])
        {
            var bytes = Convert.FromBase64String(upload.ContentBase64!);
            using var stream = new MemoryStream(bytes, writable: false);
            var key = await blobs.PutAsync(stream, ct);
            var type = string.IsNullOrWhiteSpace(upload.ContentType) ? "application/octet-stream" : upload.ContentType.Trim().ToLowerInvariant();
            stored.Add(new StoredBlob(key, bytes.Length, FileNames.Sanitize(upload.FileName), type));
        }
        return stored;
    }

    private static int? DecodedLength(string base64)
    {
        var buffer = new byte[base64.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? written : null;
    }
}
