using Microsoft.Playwright;

namespace Ateb.E2E.Testing;

/// <summary>
/// Base of a browser test class: the shared server and browser (assembly fixtures), a fresh context and page per test
/// (xUnit makes a new instance per test), every page's console errors and uncaught exceptions collected, and on failure
/// a screenshot of each open page at artifacts/e2e/screenshots/failed-{test}-{n}.png.
/// </summary>
public abstract class BrowserTest(AtebServerFixture server, BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<IPage> _pages = [];
    private readonly List<string> _errors = [];
    private IPage? _page;

    protected AtebServer Server => server.Server;
    protected BrowserFixture Browser => browser;

    /// <summary>This test's desktop page (1280×800, English locale) on the shared server.</summary>
    protected IPage Page => _page ?? throw new InvalidOperationException("The page is created in InitializeAsync.");

    /// <summary>Console errors and uncaught exceptions of every page this test opened (Content-Security-Policy refusals show up here).</summary>
    protected IReadOnlyList<string> BrowserErrors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public virtual async ValueTask InitializeAsync() => _page = await NewPageAsync();

    /// <summary>Another page in a context of its own (its own cookies), e.g. at phone size, or on another server.</summary>
    protected async Task<IPage> NewPageAsync(ViewportSize? viewport = null, string locale = "en-GB", AtebServer? on = null)
    {
        var context = await browser.NewContextAsync(on ?? Server, viewport, locale);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"{page.Url}: console: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"{page.Url}: uncaught: {error}");
            }
        };
        _pages.Add(page);
        return page;
    }

    protected static Task<string> ScreenshotAsync(IPage page, string name) => BrowserFixture.ScreenshotAsync(page, name);

    protected static Task AssertAccessibleAsync(IPage page, string? name = null, params string[] disabledRules) =>
        BrowserFixture.AssertAccessibleAsync(page, name, disabledRules);

    protected void AssertNoBrowserErrors() => Assert.True(BrowserErrors.Count == 0, "The browser reported errors:\n" + string.Join('\n', BrowserErrors));

    public virtual async ValueTask DisposeAsync()
    {
        var context = TestContext.Current;
        if (context.TestState?.Result == TestResult.Failed)
        {
            var test = context.Test?.TestDisplayName ?? "test";
            for (var i = 0; i < _pages.Count; i++)
            {
                try
                {
                    if (!_pages[i].IsClosed)
                    {
                        var path = await ScreenshotAsync(_pages[i], $"failed-{test}-{i + 1}");
                        context.AddAttachment($"screenshot-{i + 1}", await File.ReadAllBytesAsync(path), "image/png");
                    }
                }
                catch (PlaywrightException)
                {
                }
            }
            lock (_errors)
            {
                if (_errors.Count > 0)
                {
                    context.AddAttachment("browser-errors", string.Join('\n', _errors));
                }
            }
        }
        foreach (var browserContext in _contexts)
        {
            await browserContext.CloseAsync();
        }
        GC.SuppressFinalize(this);
    }
}
