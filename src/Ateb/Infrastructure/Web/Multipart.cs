using Ateb.Features.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ateb.Infrastructure.Web;

/// <summary>Uploads sent as multipart/form-data: the form, or (with an empty form) a problem naming the file field when it cannot be read.</summary>
internal static class Multipart
{
    public static async Task<(IFormCollection Form, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, string fileField, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return (FormCollection.Empty, Problems.Field(fileField, $"must be sent as multipart/form-data with one part named {fileField}."));
        }
        try
        {
            return (await request.ReadFormAsync(ct), null);
        }
        catch (InvalidDataException e)
        {
            return (FormCollection.Empty, Problems.Field(fileField, $"could not be read: {e.Message}"));
        }
    }

    /// <summary>A message attachment from an uploaded part (the browser's type, else application/octet-stream).</summary>
    public static async Task<AttachmentUpload> AttachmentAsync(IFormFile file, CancellationToken ct)
    {
        using var memory = new MemoryStream();
        await file.CopyToAsync(memory, ct);
        return new AttachmentUpload(file.FileName, string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType,
            Convert.ToBase64String(memory.GetBuffer(), 0, (int)memory.Length));
    }
}
