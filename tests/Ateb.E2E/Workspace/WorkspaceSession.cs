using System.Net.Http.Json;
using System.Text.Json;

namespace Ateb.E2E.Workspace;

/// <summary>Signing in through the real sign-in page, and tickets of a test's own (so tests never fight over demo data).</summary>
internal static class WorkspaceSession
{
    public const string Sara = "sara@demo.ateb.test";    // Persian
    public const string Layla = "layla@demo.ateb.test";  // Arabic
    public const string Gwen = "gwen@demo.ateb.test";    // Welsh
    public const string Sam = "sam@demo.ateb.test";      // light agent

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<BrowserContextCookiesResult>> Signed = new();

    /// <summary>
    /// Signs in through the sign-in page the first time per server and agent, then reuses that session's cookies: the
    /// sign-in throttle (10 tries per address per 15 minutes) would otherwise stop a run that signs in forty times.
    /// <paramref name="fresh"/> always goes through the page.
    /// </summary>
    public static async Task SignInAsync(IPage page, string email = AtebServer.DemoOwner, bool fresh = false)
    {
        await page.GotoAsync("/signin");
        var key = new Uri(page.Url).Authority + " " + email;
        if (!fresh && Signed.TryGetValue(key, out var cookies))
        {
            await page.Context.AddCookiesAsync(cookies.Select(c => new Cookie
            {
                Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
            }));
            await GoAsync(page, "/");
            return;
        }
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(AtebServer.DemoPassword);
        await page.Locator("button.primary").ClickAsync();
        await LiveAsync(page);
        Signed[key] = await page.Context.CookiesAsync();
    }

    /// <summary>Opens a workspace page and waits until its circuit is connected (before that, a prerendered page ignores input).</summary>
    public static async Task GoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await LiveAsync(page);
    }

    public static Task LiveAsync(IPage page) => Expect(page.Locator(".shell[data-live=true]")).ToBeVisibleAsync();

    /// <summary>
    /// Chooses files in a Blazor InputFile once it listens: the element is drawn one round trip before the circuit hooks up
    /// its change listener, and files chosen in between are dropped (a person cannot click that fast; a test can).
    /// </summary>
    public static async Task ChooseFilesAsync(ILocator input, params FilePayload[] files)
    {
        var element = await input.ElementHandleAsync();
        // Blazor's InputFile.init sets this counter when it adds its listeners.
        await input.Page.WaitForFunctionAsync("el => el._blazorInputFileNextFileId !== undefined", element);
        await input.SetInputFilesAsync(files);
    }

    private static readonly Dictionary<AtebServer, Task<HttpClient>> Clients = [];
    private static readonly Lock Gate = new();

    /// <summary>One signed-in API client per server: signing in for every ticket would trip the sign-in throttle.</summary>
    internal static Task<HttpClient> ApiAsync(AtebServer server)
    {
        lock (Gate)
        {
            if (!Clients.TryGetValue(server, out var client))
            {
                Clients[server] = client = server.SignInApiAsync();
            }
            return client;
        }
    }

    /// <summary>A new ticket from a new customer through the API; returns its number.</summary>
    public static async Task<long> NewTicketAsync(AtebServer server, string subject, string text = "Hello, I need help.")
    {
        var api = await ApiAsync(server);
        var email = $"e2e-{Guid.NewGuid():N}@example.test";
        using var response = await api.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject,
            requester = new { email, name = "E2E Customer" },
            message = new { text },
        });
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("number").GetInt64();
    }
}
