using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Ateb.E2E.Testing;

/// <summary>Viewport sizes the tests use.</summary>
public static class Viewports
{
    public static ViewportSize Desktop => new() { Width = 1280, Height = 800 };
    public static ViewportSize Phone => new() { Width = 390, Height = 844 };
}

/// <summary>
/// One headless Chromium for the whole run: Debian's (ATEB_CHROMIUM, default /usr/bin/chromium; scripts/chromium.sh
/// installs it), driven by Playwright's bundled driver, never a browser Playwright downloads. Missing Chromium fails
/// every browser test, saying so. Each test gets its own context (cookies, storage) from <see cref="NewContextAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public static string ExecutablePath => Environment.GetEnvironmentVariable("ATEB_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Chromium is not at {path}. Install Debian's package (source scripts/chromium.sh, as ./test.sh does) or set ATEB_CHROMIUM.");
        }
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        var args = new List<string> { "--disable-dev-shm-usage", "--disable-gpu", "--font-render-hinting=none" };
        // Chromium's sandbox refuses to run as root (containers, CI).
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("ATEB_CHROMIUM_NO_SANDBOX") == "1")
        {
            args.Add("--no-sandbox");
        }
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path, Headless = true, Args = args, Timeout = 60_000,
        });
    }

    /// <summary>A fresh context (no cookies) on <paramref name="server"/>: relative addresses in GotoAsync resolve against it.</summary>
    public async Task<IBrowserContext> NewContextAsync(AtebServer server, ViewportSize? viewport = null, string locale = "en-GB")
    {
        var size = viewport ?? Viewports.Desktop;
        var phone = size.Width < 600;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = size,
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
            Locale = locale,
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(10_000);
        context.SetDefaultNavigationTimeout(20_000);
        return context;
    }

    /// <summary>A full-page PNG at artifacts/e2e/screenshots/{name}.png; returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Artifacts.Folder("screenshots"), Artifacts.SafeName(name) + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    /// <summary>
    /// Waits (up to 5 s) until no finite animation runs anywhere in the page, shadow roots included: axe measures colour
    /// contrast as drawn, and a panel fading in is half transparent. Endless ones (a typing indicator) do not count.
    /// </summary>
    private const string Settled = """
        () => {
            const roots = [document, ...[...document.querySelectorAll('*')].filter(e => e.shadowRoot).map(e => e.shadowRoot)];
            return roots.flatMap(r => r.getAnimations()).every(a =>
                a.playState === 'finished' || a.playState === 'idle' || a.effect?.getComputedTiming().endTime === Infinity);
        }
        """;

    private static async Task SettledAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync(
                Settled,
                null, new PageWaitForFunctionOptions { Timeout = 5000 });
        }
        catch (TimeoutException)
        {
            // Still moving after 5 s: check what is there rather than hang; the report shows what axe saw.
        }
    }

    /// <summary>
    /// Runs axe-core on the page and fails on any serious or critical violation, listing each with the elements it
    /// found; the full report goes to artifacts/e2e/axe/{name}.json. Rules can be switched off by id, saying why in the test.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page, string? name = null, params string[] disabledRules)
    {
        var options = new AxeRunOptions();
        if (disabledRules.Length > 0)
        {
            options.Rules = disabledRules.ToDictionary(r => r, _ => new RuleOptions { Enabled = false });
        }
        await SettledAsync(page);
        var result = await page.RunAxe(options);
        name ??= new Uri(page.Url).AbsolutePath;
        var report = Path.Combine(Artifacts.Folder("axe"), Artifacts.SafeName(name) + ".json");
        await File.WriteAllTextAsync(report, JsonSerializer.Serialize(new
        {
            page.Url,
            Violations = result.Violations.Select(v => new { v.Id, v.Impact, v.Help, v.HelpUrl, Nodes = v.Nodes.Select(n => new { Target = n.Target?.ToString(), n.Html, Failure = Summary(n) }) }),
            Incomplete = result.Incomplete.Select(v => new { v.Id, v.Impact, v.Help, Nodes = v.Nodes.Length }),
            Passes = result.Passes.Select(v => v.Id),
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        if (serious.Count == 0)
        {
            return;
        }
        var message = new StringBuilder($"axe-core found {serious.Count} serious or critical accessibility problem(s) on {page.Url} (report: {report}):");
        foreach (var violation in serious)
        {
            message.Append($"\n- [{violation.Impact}] {violation.Id}: {violation.Help} ({violation.HelpUrl})");
            foreach (var node in violation.Nodes.Take(5))
            {
                message.Append($"\n    {node.Target}: {Shorten(node.Html)}");
                if (Summary(node) is { Length: > 0 } summary)
                {
                    message.Append("\n      ").Append(summary);
                }
            }
            if (violation.Nodes.Length > 5)
            {
                message.Append($"\n    … and {violation.Nodes.Length - 5} more");
            }
        }
        Assert.Fail(message.ToString());
    }

    // What to fix, in axe's words: every "all" and "none" check that failed, and one of the "any" checks.
    private static string Summary(AxeResultNode node)
    {
        var all = (node.All ?? []).Concat(node.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrEmpty(m)).ToList();
        var any = (node.Any ?? []).Select(c => c.Message).Where(m => !string.IsNullOrEmpty(m)).ToList();
        var parts = new List<string>();
        if (all.Count > 0)
        {
            parts.Add(string.Join("; ", all));
        }
        if (any.Count > 0)
        {
            parts.Add("fix any of: " + string.Join("; ", any));
        }
        return string.Join(" — ", parts);
    }

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..160] + "…";

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}
