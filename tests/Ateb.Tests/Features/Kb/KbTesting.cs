using System.IO.Compression;
using System.Net.Http.Headers;
using Ateb.Features.Kb;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ateb.Tests.Features.Kb;

internal static class KbTesting
{
    public static async Task<KbArticleResponse> ArticleAsync(this TestWorkspace ws, string title, string markdown, bool publish = true, bool isInternal = false,
        string language = "en") =>
        await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", new
        {
            isInternal, translation = new { language, title, markdown, publish },
        })).ReadAsync<KbArticleResponse>();

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, Guid articleId, string fileName, byte[] bytes, string contentType = "application/octet-stream")
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(part, "file", fileName);
        return client.PostAsync($"/api/v1/kb/articles/{articleId}/files", form);
    }

    /// <summary>A visitor with no sign-in, reaching the server by the given host name.</summary>
    public static HttpClient Visitor(this AtebApp app, string host = "localhost") =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri($"http://{host}") });

    public static async Task<string> SetHostAsync(this TestWorkspace ws, string host)
    {
        var response = await ws.Owner.PatchAsJsonAsync("/api/v1/workspace", new { helpCenterHost = host });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return host;
    }

    /// <summary>A real PNG (solid colour, width x height), so browsers draw it in screenshots.</summary>
    public static byte[] Png(int width = 4, int height = 3, byte r = 0x1f, byte g = 0x5f, byte b = 0xbf)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(output, "IHDR", header);
        using var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            for (var x = 0; x < width; x++)
            {
                raw.Write([r, g, b]);
            }
        }
        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw.ToArray());
        }
        Chunk(output, "IDAT", packed.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(body);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(body));
        output.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
