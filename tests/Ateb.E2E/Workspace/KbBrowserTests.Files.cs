using System.IO.Compression;
using System.Text.RegularExpressions;
using static Ateb.E2E.Workspace.WorkspaceSession;

namespace Ateb.E2E.Workspace;

/// <summary>
/// An article's image uploaded from the editor and shown in its preview and on the help center; "this is outdated" from a
/// reader and from an agent; the article deleted. In Persian, right to left, on a desktop and a phone.
/// </summary>
public sealed partial class KbBrowserTests
{
    [Fact]
    public async Task Persian_agent_adds_an_image_readers_see_it_and_report_the_article_outdated_then_it_is_deleted()
    {
        var title = "راهنمای تصویری " + Guid.NewGuid().ToString("N")[..6];
        await AsAsync(Page, Sara);
        await GoAsync(Page, "/kb/articles/new");
        await LiveAsync(Page);
        await Expect(Page.Locator("[data-testid=kb-files]")).ToContainTextAsync("اول پیش‌نویس را ذخیره کنید");
        await Page.Locator("#kb-title").FillAsync(title);
        await Page.Locator("#kb-body").FillAsync("برای دیدن کد رهگیری، صفحهٔ سفارش را باز کنید.");
        await Page.Locator("[data-action=save-draft]").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/kb/articles/[0-9a-f-]{36}\?lang=fa$"));
        var id = Regex.Match(Page.Url, "[0-9a-f-]{36}").Value;

        // The upload button adds the file and a reference to it at the end of the text; the preview shows it.
        await ChooseFilesAsync(Page.Locator("#kb-file-input"), new FilePayload { Name = "صفحهٔ سفارش.png", MimeType = "image/png", Buffer = Png(480, 200) });
        var files = Page.Locator("[data-testid=kb-file-list] li");
        await Expect(files).ToHaveCountAsync(1);
        var name = await files.First.GetAttributeAsync("data-file");
        Assert.Equal("صفحهٔ-سفارش.png", name);
        await Expect(Page.Locator("#kb-body")).ToHaveValueAsync(new Regex($@"!\[صفحهٔ سفارش\]\(files/{Regex.Escape(name!)}\)\n$"));
        var previewImage = Page.Locator("[data-testid=kb-preview] img");
        await Expect(previewImage).ToHaveAttributeAsync("src", new Regex($"/api/v1/kb/articles/{id}/files/"));
        await Expect(previewImage).ToHaveJSPropertyAsync("naturalWidth", 480);
        // An SVG is refused, by name, beside the upload button.
        await ChooseFilesAsync(Page.Locator("#kb-file-input"), new FilePayload { Name = "logo.svg", MimeType = "image/svg+xml", Buffer = "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray() });
        await Expect(Page.Locator("#kb-error")).ToContainTextAsync("logo.svg");
        await Expect(files).ToHaveCountAsync(1);
        await Page.Locator("[data-action=publish]").ClickAsync();
        await Expect(Page.Locator("[data-testid=kb-tabs] [data-lang=fa]")).ToHaveAttributeAsync("data-state", "Published");
        await ScreenshotAsync(Page, "kb-editor-files-fa-desktop");
        await AssertAccessibleAsync(Page, "kb-editor-files-fa");

        // Readers see the image at its public address and tell us the article is outdated, with a note.
        foreach (var (reader, size) in new[] { (await NewPageAsync(locale: "fa-IR"), "desktop"), (await NewPageAsync(Viewports.Phone, "fa-IR"), "phone") })
        {
            await reader.GotoAsync($"/help/fa/articles/{id}");
            var image = reader.Locator("article .content img");
            await Expect(image).ToHaveAttributeAsync("src", new Regex($"^/help/files/{id}/"));
            await Expect(image).ToHaveJSPropertyAsync("naturalWidth", 480);
            await reader.Locator("details.outdated summary").ClickAsync();
            await reader.Locator("details.outdated textarea").FillAsync($"صفحهٔ سفارش عوض شده است ({size})");
            await ScreenshotAsync(reader, $"help-fa-article-outdated-{size}");
            await reader.Locator("details.outdated button").ClickAsync();
            await Expect(reader.Locator("p.reported")).ToHaveTextAsync("ممنون؛ این مقاله را بازبینی می‌کنیم.");
        }

        // The agent sees the readers' reports, adds their own, and the list shows the article as outdated.
        await GoAsync(Page, $"/kb/articles/{id}");
        var outdated = Page.Locator("[data-testid=kb-outdated]");
        await Expect(outdated).ToContainTextAsync("خواننده‌ای در مرکز راهنما");
        await Expect(outdated).ToContainTextAsync("صفحهٔ سفارش عوض شده است (phone)");
        await Expect(outdated.Locator(".badge")).ToHaveTextAsync("۲");
        await Page.Locator("[data-action=report-outdated]").ClickAsync();
        await Page.Locator("#kb-outdated-comment").FillAsync("دکمهٔ رهگیری جابه‌جا شده");
        await Page.Locator("[data-action=send-outdated]").ClickAsync();
        await Expect(outdated.Locator(".badge")).ToHaveTextAsync("۳");
        await Expect(outdated).ToContainTextAsync("دکمهٔ رهگیری جابه‌جا شده");
        await ScreenshotAsync(Page, "kb-editor-outdated-fa-desktop");
        var phone = await NewPageAsync(Viewports.Phone, "fa-IR");
        await AsAsync(phone, Sara);
        await GoAsync(phone, $"/kb/articles/{id}");
        await Expect(phone.Locator("[data-testid=kb-file-list] li")).ToHaveCountAsync(1);
        await ScreenshotAsync(phone, "kb-editor-files-fa-phone");
        await phone.Locator("[data-testid=kb-outdated]").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(phone, "kb-editor-outdated-fa-phone");

        // Deleting asks first, then takes the article off the list and the help center.
        await Page.Locator("[data-action=delete-article]").ClickAsync();
        await Expect(Page.Locator("#confirm-delete-article")).ToBeFocusedAsync();
        await ScreenshotAsync(Page, "kb-editor-delete-fa-desktop");
        await Page.Locator("#confirm-delete-article").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/kb\\?deleted=1$"));
        await Expect(Page.Locator("[data-testid=kb-deleted]")).ToHaveTextAsync("مقاله حذف شد.");
        var gone = await Page.APIRequest.GetAsync($"/help/fa/articles/{id}");
        Assert.Equal(404, gone.Status);
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task The_help_center_address_is_checked_and_refused_beside_its_field()
    {
        await AsAsync(Page, AtebServer.DemoOwner);
        await GoAsync(Page, "/admin/settings");
        await LiveAsync(Page);
        var host = Page.Locator("#ws-help-host");
        await Expect(host).ToHaveAttributeAsync("dir", "ltr");
        await host.FillAsync("https://help.example.com/help");
        await Page.Locator("[data-testid=workspace-save]").ClickAsync();
        await Expect(Page.Locator("#workspace-error")).ToContainTextAsync("Help center address");
        await Expect(host).ToHaveAttributeAsync("aria-invalid", "true");
        await Page.Locator("[data-testid=help-center-settings]").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(Page, "workspace-help-host-en-desktop");
        AssertNoBrowserErrors();
    }

    /// <summary>A real PNG: a blue band over a yellow one.</summary>
    private static byte[] Png(int width, int height)
    {
        using var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            for (var x = 0; x < width; x++)
            {
                raw.Write(y < height / 2 ? [0x1f, 0x5f, 0xbf] : [0xf0, 0xb4, 0x29]);
            }
        }
        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw.ToArray());
        }
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        (header[8], header[9]) = (8, 2);
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach (var (type, data) in new[] { ("IHDR", header), ("IDAT", packed.ToArray()), ("IEND", Array.Empty<byte>()) })
        {
            var length = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            var crc = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(body));
            png.Write(length);
            png.Write(body);
            png.Write(crc);
        }
        return png.ToArray();
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
