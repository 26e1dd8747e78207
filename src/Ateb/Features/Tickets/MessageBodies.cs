using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;

namespace Ateb.Features.Tickets;

public sealed record AttachmentUpload(string? FileName, string? ContentType, string? ContentBase64);

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
        var safeHtml = string.IsNullOrWhiteSpace(html) ? null : Html.Sanitize(html);
        var plain = !string.IsNullOrEmpty(text) ? text : safeHtml is null ? "" : Html.ToText(safeHtml);
        return (plain, safeHtml);
    }

    /// <summary>Writes the blobs first; a crash before the row is saved leaves an orphan blob, never a dangling row.</summary>
    public static async Task<List<Attachment>> StoreAsync(IBlobStore blobs, IReadOnlyList<AttachmentUpload>? uploads, Guid messageId,
        DateTimeOffset now, CancellationToken ct)
    {
        var stored = new List<Attachment>();
        foreach (var upload in uploads ?? [])
        {
            var bytes = Convert.FromBase64String(upload.ContentBase64!);
            using var stream = new MemoryStream(bytes, writable: false);
            var key = await blobs.PutAsync(stream, ct);
            stored.Add(new Attachment
            {
                MessageId = messageId,
                FileName = FileNames.Sanitize(upload.FileName),
                ContentType = string.IsNullOrWhiteSpace(upload.ContentType) ? "application/octet-stream" : upload.ContentType.Trim().ToLowerInvariant(),
                Size = bytes.Length,
                StorageKey = key,
                CreatedAt = now,
            });
        }
        return stored;
    }

    private static int? DecodedLength(string base64)
    {
        var buffer = new byte[base64.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? written : null;
    }
}
