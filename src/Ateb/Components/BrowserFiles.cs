using Ateb.Features.Tickets;
using Microsoft.AspNetCore.Components.Forms;

namespace Ateb.Components;

/// <summary>Files an agent picked in the browser (InputFile), as message attachments.</summary>
internal static class BrowserFiles
{
    /// <summary>The attachments' size limit: the API's, so a file the page accepts is never refused on sending.</summary>
    public const long MaxBytes = Limits.AttachmentBytes;

    public static long MaxMegabytes => MaxBytes / 1024 / 1024;

    public static async Task<AttachmentUpload> ToAttachmentAsync(IBrowserFile file)
    {
        await using var stream = file.OpenReadStream(MaxBytes);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return new AttachmentUpload(file.Name, string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType,
            Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
