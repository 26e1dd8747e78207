using System.Globalization;
using static Ateb.E2E.Workspace.WorkspaceSession;

namespace Ateb.E2E.Workspace;

/// <summary>Persian and Arabic agents get a mirrored workspace, and every date in their own calendar and digits.</summary>
public sealed class WorkspaceLanguageBrowserTests(AtebServerFixture server, BrowserFixture browser) : BrowserTest(server, browser)
{
    [Theory]
    [InlineData(Sara, "fa", "۰۱۲۳۴۵۶۷۸۹")]
    [InlineData(Layla, "ar", "٠١٢٣٤٥٦٧٨٩")]
    public async Task Persian_and_Arabic_agents_get_a_right_to_left_workspace_with_their_calendar(string agent, string language, string digits)
    {
        var number = await NewTicketAsync(Server, "Calendar check " + language);
        foreach (var (page, size) in new[] { (Page, "desktop"), (await NewPageAsync(Viewports.Phone), "phone") })
        {
            await SignInAsync(page, agent);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            await ScreenshotAsync(page, $"workspace-inbox-{language}-{size}");

            await GoAsync(page, $"/tickets/{number}");
            var when = (await page.Locator("[data-testid=timeline] article time").First.InnerTextAsync()).Trim();
            var today = DateTime.UtcNow;
            Calendar calendar = language == "fa" ? new PersianCalendar() : new UmAlQuraCalendar();
            var year = calendar.GetYear(today).ToString(CultureInfo.InvariantCulture);
            var localYear = string.Concat(year.Select(c => digits[c - '0']));
            // The saved-at time is today, in the agent's calendar year (Solar Hijri 14xx or Hijri 14xx) and digits, no Latin digit.
            Assert.Contains(localYear, when);
            Assert.DoesNotMatch("[0-9]", when);
            await ScreenshotAsync(page, $"workspace-ticket-{language}-{size}");
        }
        await AssertAccessibleAsync(Page, $"workspace-ticket-{language}");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task The_layout_mirrors_between_English_and_Persian()
    {
        var number = await NewTicketAsync(Server, "Mirror check");
        var english = Page;
        var persian = await NewPageAsync();
        await SignInAsync(english);
        await SignInAsync(persian, Sara);
        var width = english.ViewportSize!.Width;
        foreach (var page in new[] { english, persian })
        {
            await GoAsync(page, $"/tickets/{number}");
            await Expect(page.Locator("[data-testid=properties]")).ToBeVisibleAsync();
        }
        var nav = (await Box(english, "nav.side"), await Box(persian, "nav.side"));
        var main = (await Box(english, "main"), await Box(persian, "main"));
        var props = (await Box(english, "[data-testid=properties]"), await Box(persian, "[data-testid=properties]"));
        var brand = (await Box(english, "a.brand"), await Box(persian, "a.brand"));

        // English: navigation on the left of the page, properties on the right; Persian: the mirror image.
        Assert.True(nav.Item1.X < main.Item1.X, "English navigation should be left of the content");
        Assert.True(nav.Item2.X > main.Item2.X, "Persian navigation should be right of the content");
        Assert.True(props.Item1.X > width / 2 && props.Item2.X + props.Item2.Width < width / 2, "the ticket's properties should change sides");
        // Mirrored positions (sizes differ a little: Persian and Arabic text is set larger): the gap from the page's start edge is the same on both sides (measured against
        // the page box, since Chromium puts the scrollbar on the left in right-to-left pages).
        var page1 = await Box(english, "html");
        var page2 = await Box(persian, "html");
        double StartGapLtr(LocatorBoundingBoxResult b) => b.X - page1.X;
        double StartGapRtl(LocatorBoundingBoxResult b) => page2.X + page2.Width - (b.X + b.Width);
        Assert.True(Math.Abs(StartGapLtr(nav.Item1) - StartGapRtl(nav.Item2)) <= 2,
            $"nav: {StartGapLtr(nav.Item1)} from the left in English, {StartGapRtl(nav.Item2)} from the right in Persian; pages {page1.X}+{page1.Width}, {page2.X}+{page2.Width}; nav {nav.Item2.X}+{nav.Item2.Width}");
        Assert.True(Math.Abs(StartGapLtr(brand.Item1) - StartGapRtl(brand.Item2)) <= 2,
            $"brand: {StartGapLtr(brand.Item1)} from the left in English, {StartGapRtl(brand.Item2)} from the right in Persian");
        await ScreenshotAsync(english, "mirror-en");
        await ScreenshotAsync(persian, "mirror-fa");
    }

    private static async Task<LocatorBoundingBoxResult> Box(IPage page, string selector) =>
        await page.Locator(selector).First.BoundingBoxAsync() ?? throw new InvalidOperationException($"{selector} is not visible");
}
