using System.Net.Http.Json;
using System.Text.Json;
using static Ateb.E2E.Workspace.WorkspaceSession;

namespace Ateb.E2E.Workspace;

/// <summary>
/// The live chat settings page in a real browser: the owner changes the policy, a mistake in the allowed origins is
/// named at its line, the embed code carries this server's address and the workspace, the identity secret is shown once
/// with its HMAC examples; a Persian admin reads the page right to left. Puts the workspace's chat settings back at the end.
/// </summary>
public sealed class ChatSettingsBrowserTests(AtebServerFixture server, BrowserFixture browser) : BrowserTest(server, browser)
{
    [Fact]
    public async Task The_owner_changes_chat_settings_sees_the_embed_code_and_rotates_the_identity_secret()
    {
        var api = await ApiAsync(Server);
        var original = await GetJsonAsync(api, "/api/v1/chat/settings");
        var slug = original.GetProperty("workspace").GetString()!;
        var email = $"e2e-admin-{Guid.NewGuid():N}@example.test";
        (await api.PostAsJsonAsync("/api/v1/agents", new { email, name = "E2E chat admin", password = AtebServer.DemoPassword, role = "admin" })).EnsureSuccessStatusCode();
        try
        {
            await SignInAsync(Page);
            await GoAsync(Page, "/admin/chat");
            await LiveAsync(Page);
            var embed = Page.Locator("#chat-embed-code");
            var origin = new Uri(Page.Url).GetLeftPart(UriPartial.Authority);
            await Expect(embed).ToHaveValueAsync($"<script src=\"{origin}/widget.js\" data-workspace=\"{slug}\" async></script>");
            await Expect(Page.Locator("nav.side a[href='/admin/chat']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("active"));

            await Page.Locator("#chat-color").FillAsync("#b4236b");
            await Expect(Page.Locator("[data-testid=chat-swatch]")).ToHaveAttributeAsync("style", "--swatch: #b4236b");
            await Page.Locator("#chat-greeting-en").FillAsync("Hello from the E2E test!");
            await Page.Locator("#chat-origins").FillAsync("https://shop.example\nhttps://shop.example/path");
            await Page.Locator("#chat-prechat-required").CheckAsync();
            await Page.Locator("#chat-capacity").FillAsync("5");
            await Page.Locator("[data-testid=chat-save]").ClickAsync();
            await Expect(Page.Locator("#chat-error a[href$='#chat-origins']")).ToContainTextAsync("Allowed origins: line 2");
            await Expect(Page.Locator("#chat-origins")).ToHaveAttributeAsync("aria-invalid", "true");

            await Page.Locator("#chat-origins").FillAsync("https://shop.example\nHTTP://LOCALHOST:5173/");
            await Page.Locator("[data-testid=chat-save]").ClickAsync();
            await Expect(Page.Locator("[data-testid=chat-saved]")).ToHaveTextAsync("Saved.");
            await Expect(Page.Locator("#chat-origins")).ToHaveValueAsync("https://shop.example\nhttp://localhost:5173");

            await GoAsync(Page, "/admin/chat");
            await Expect(Page.Locator("#chat-color")).ToHaveValueAsync("#b4236b");
            await Expect(Page.Locator("#chat-greeting-en")).ToHaveValueAsync("Hello from the E2E test!");
            await Expect(Page.Locator("#chat-prechat-required")).ToBeCheckedAsync();
            await Expect(Page.Locator("#chat-capacity")).ToHaveValueAsync("5");
            var saved = await GetJsonAsync(api, "/api/v1/chat/settings");
            Assert.Equal("#b4236b", saved.GetProperty("brandColor").GetString());
            Assert.Equal("required", saved.GetProperty("preChat").GetString());
            Assert.Equal(["https://shop.example", "http://localhost:5173"], saved.GetProperty("allowedOrigins").EnumerateArray().Select(o => o.GetString()));
            // The widget's public config shows what was saved.
            var widget = await GetJsonAsync(api, $"/api/v1/chat/{slug}/widget?lang=en");
            Assert.Equal("Hello from the E2E test!", widget.GetProperty("greeting").GetString());

            await Page.Locator("[data-testid=chat-rotate]").ClickAsync();
            if (original.GetProperty("hasIdentitySecret").GetBoolean())
            {
                await Page.Locator("[data-testid=chat-rotate-confirm]").ClickAsync();
            }
            await Expect(Page.Locator("#chat-secret")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
            await Expect(Page.Locator("#chat-example-node")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("createHmac\\(\"sha256\""));
            await Expect(Page.Locator("#chat-example-php")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("hash_hmac\\('sha256'"));
            await Expect(Page.Locator("#chat-example-csharp")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("HMACSHA256\\.HashData"));
            await SettingsScreenshotsAsync(Page, "settings-chat-en");
            await AssertAccessibleAsync(Page, "settings-chat-en");

            // A Persian admin: the same page, right to left.
            await Page.Context.ClearCookiesAsync();
            await SignInAsync(Page, email, fresh: true);
            await GoAsync(Page, "/settings/profile");
            await Page.Locator("#language-choice").SelectOptionAsync("fa");
            await Page.Locator("form[action='/language'] button[type=submit]").ClickAsync();
            await Expect(Page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
            await GoAsync(Page, "/admin/chat");
            await LiveAsync(Page);
            await Expect(Page.Locator("h1")).ToHaveTextAsync("گفتگوی زنده");
            await Expect(Page.Locator("#chat-embed-code")).ToHaveAttributeAsync("dir", "ltr");
            var color = await Page.Locator("#chat-color").BoundingBoxAsync();
            var swatch = await Page.Locator("[data-testid=chat-swatch]").BoundingBoxAsync();
            Assert.True(swatch!.X < color!.X, "In Persian the swatch sits to the left of (after) the colour box.");
            await SettingsScreenshotsAsync(Page, "settings-chat-fa");
            AssertNoBrowserErrors();
        }
        finally
        {
            using var restore = await api.PutAsJsonAsync("/api/v1/chat/settings", new
            {
                enabled = original.GetProperty("enabled").GetBoolean(), brandColor = original.GetProperty("brandColor").GetString(),
                greetings = original.GetProperty("greetings"), allowedOrigins = original.GetProperty("allowedOrigins"),
                preChat = original.GetProperty("preChat").GetString(), maxChatsPerAgent = original.GetProperty("maxChatsPerAgent").GetInt32(),
                maxQueue = original.GetProperty("maxQueue").GetInt32(), offerSeconds = original.GetProperty("offerSeconds").GetInt32(),
                teamId = original.GetProperty("teamId").ValueKind == JsonValueKind.Null ? (Guid?)null : original.GetProperty("teamId").GetGuid(),
                useBusinessHours = original.GetProperty("useBusinessHours").GetBoolean(),
            });
            restore.EnsureSuccessStatusCode();
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task SettingsScreenshotsAsync(IPage page, string name)
    {
        var size = page.ViewportSize!;
        await ScreenshotAsync(page, $"{name}-desktop");
        await page.SetViewportSizeAsync(Viewports.Phone.Width, Viewports.Phone.Height);
        await ScreenshotAsync(page, $"{name}-phone");
        await page.SetViewportSizeAsync(size.Width, size.Height);
    }
}
