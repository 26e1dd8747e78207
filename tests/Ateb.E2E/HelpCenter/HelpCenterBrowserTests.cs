using System.Globalization;
using System.Text.RegularExpressions;

namespace Ateb.E2E.HelpCenter;

/// <summary>The public help center in a real browser: right-to-left Persian, its calendar and digits, search, accessibility.</summary>
public sealed partial class HelpCenterBrowserTests(AtebServerFixture server, BrowserFixture browser) : BrowserTest(server, browser)
{
    private HelpCenterData _data = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _data = await HelpCenterData.EnsureAsync(Server);
    }

    [Fact]
    public async Task Persian_pages_are_right_to_left_with_solar_hijri_dates_in_persian_digits()
    {
        foreach (var (page, size) in new[] { (Page, "desktop"), (await NewPageAsync(Viewports.Phone, "fa-IR"), "phone") })
        {
            await page.GotoAsync("/help/fa");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fa");
            await ScreenshotAsync(page, $"help-fa-home-{size}");

            await page.GetByRole(AriaRole.Link, new() { Name = HelpCenterData.TrackingFa }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/help/fa/articles/{_data.Tracking}$"));
            await Expect(page.Locator("article h1")).ToHaveTextAsync(HelpCenterData.TrackingFa);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");

            // "Updated: 2 Azar 1405" in the Solar Hijri calendar, Persian digits, no Latin ones. The article was saved in
            // this run: today's date, or yesterday's if midnight (UTC) passed since.
            var updated = (await page.Locator("article .meta").InnerTextAsync()).Trim();
            Assert.Matches(PersianDate(), updated);
            Assert.DoesNotMatch("[0-9]", updated);
            Assert.Contains(updated, new[] { SolarHijri(DateTime.UtcNow), SolarHijri(DateTime.UtcNow.AddDays(-1)) }.Select(d => "به‌روزرسانی: " + d));
            // Numbered steps count in Persian digits too.
            Assert.Equal("persian", await page.Locator("article .content ol").EvaluateAsync<string>("e => getComputedStyle(e).listStyleType"));
            await ScreenshotAsync(page, $"help-fa-article-{size}");
        }
        AssertNoBrowserErrors();
    }

    [Theory]
    [InlineData("پيگيري سفارش")] // Arabic yeh (ي) where Persian writes ی
    [InlineData("كد رهگيري")] // Arabic kaf (ك) and yeh
    public async Task Persian_search_finds_the_article_typed_with_arabic_letter_variants(string query)
    {
        await Page.GotoAsync("/help/fa");
        var box = Page.GetByRole(AriaRole.Textbox, new() { Name = "جستجو" });
        await box.FillAsync(query);
        await box.PressAsync("Enter");

        await Expect(Page).ToHaveURLAsync(new Regex(@"/help/fa/search\?q="));
        var hit = Page.Locator("#results li").Filter(new() { Has = Page.GetByRole(AriaRole.Link, new() { Name = HelpCenterData.TrackingFa }) });
        await Expect(hit).ToHaveCountAsync(1);
        await Expect(hit.Locator("mark").First).ToBeVisibleAsync();
        await Expect(box).ToHaveValueAsync(query);
        await hit.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/help/fa/articles/{_data.Tracking}$"));
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Results_appear_while_typing_in_persian_with_arabic_letters_on_desktop_and_phone()
    {
        foreach (var (page, size) in new[] { (Page, "desktop"), (await NewPageAsync(Viewports.Phone, "fa-IR"), "phone") })
        {
            await page.GotoAsync("/help/fa");
            var box = page.GetByRole(AriaRole.Textbox, new() { Name = "جستجو" });
            var live = page.Locator("#live");
            // Typed key by key, the last word unfinished and with an Arabic kaf: "حساب كار…" is "حساب کاربری".
            await box.PressSequentiallyAsync("حساب كار", new() { Delay = 40 });
            await Expect(live.GetByRole(AriaRole.Link, new() { Name = HelpCenterData.SignInFa })).ToBeVisibleAsync();
            await Expect(live.Locator("mark").First).ToBeVisibleAsync();
            await ScreenshotAsync(page, $"help-fa-live-search-{size}");

            // Another query replaces the results; a single letter clears them.
            await box.FillAsync("");
            await box.PressSequentiallyAsync("رهگي", new() { Delay = 40 });
            await Expect(live.GetByRole(AriaRole.Link, new() { Name = HelpCenterData.TrackingFa })).ToBeVisibleAsync();
            await Expect(live.GetByRole(AriaRole.Link, new() { Name = HelpCenterData.SignInFa })).ToHaveCountAsync(0);
            await box.FillAsync("ر");
            await Expect(live.Locator("li")).ToHaveCountAsync(0);
        }
        AssertNoBrowserErrors();
    }

    [Theory]
    [InlineData("fa", true)]
    [InlineData("en", false)]
    public async Task Content_starts_on_the_right_in_persian_and_on_the_left_in_english(string lang, bool rightToLeft)
    {
        // Each text hugs its container's start edge and stays clear of the end edge.
        var texts = new Dictionary<string, (string Text, string Container)[]>
        {
            [$"/help/{lang}/articles/{_data.Tracking}"] = [("article h1", "article"), ("article .meta", "article"), ("form.feedback p", "main"), ("header a", "header")],
            [$"/help/{lang}"] = [("main > h1", "main"), ("main section h2", "main"), ("main section li a", "main"), ("footer a", "footer")],
        };
        foreach (var (path, pairs) in texts)
        {
            await Page.GotoAsync(path);
            foreach (var (text, container) in pairs)
            {
                var edges = await Page.Locator(text).First.EvaluateAsync<Edges>(EdgesScript, container);
                var (start, end) = rightToLeft ? (edges.Right, edges.Left) : (edges.Left, edges.Right);
                if (text == "footer a")
                {
                    // The footer is centred in both directions.
                    Assert.True(Math.Abs(start - end) < 2, $"{lang}: '{text}' should be centred in '{container}': {edges}");
                    continue;
                }
                // List items start after their bullet's indent (1.25rem).
                var indent = text.EndsWith(" li a", StringComparison.Ordinal) ? 20 : 0;
                Assert.True(Math.Abs(start - indent) < 2, $"{lang}: {path}: '{text}' should start at the {(rightToLeft ? "right" : "left")} edge of '{container}': {edges}");
                Assert.True(end > 100, $"{lang}: {path}: '{text}' should leave the {(rightToLeft ? "left" : "right")} side of '{container}' free: {edges}");
            }
        }
        // The search box comes first in reading order, so its button is on the left in Persian and on the right in English.
        var input = await Page.Locator("form.search input").BoundingBoxAsync();
        var button = await Page.Locator("form.search button").BoundingBoxAsync();
        Assert.NotNull(input);
        Assert.NotNull(button);
        Assert.Equal(rightToLeft, button.X < input.X);
        await ScreenshotAsync(Page, $"help-{lang}-home-desktop");
    }

    public static TheoryData<string, string> Pages => new()
    {
        { "en", "home" }, { "fa", "home" }, { "ar", "home" }, { "en", "article" }, { "fa", "article" }, { "ar", "article" }, { "fa", "search" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Help_center_pages_pass_axe(string lang, string kind)
    {
        var path = kind switch
        {
            "home" => $"/help/{lang}",
            "article" => $"/help/{lang}/articles/{_data.Tracking}",
            _ => $"/help/{lang}/search?q={Uri.EscapeDataString("کد رهگیری")}",
        };
        await Page.GotoAsync(path);
        await AssertAccessibleAsync(Page, $"help-{lang}-{kind}");
        AssertNoBrowserErrors();
    }

    /// <summary>Gaps, in CSS pixels, between an element's text and the content box (inside the padding) of its container.</summary>
    public sealed class Edges
    {
        public double Left { get; set; }
        public double Right { get; set; }

        public override string ToString() => FormattableString.Invariant($"text {Left:0.#} px from the left edge, {Right:0.#} px from the right edge");
    }

    private const string EdgesScript = """
        (element, containerSelector) => {
          const container = element.closest(containerSelector), style = getComputedStyle(container), box = container.getBoundingClientRect();
          const range = document.createRange();
          range.selectNodeContents(element);
          const text = range.getBoundingClientRect();
          return {
            left: text.left - (box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft)),
            right: (box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight)) - text.right,
          };
        }
        """;

    private static string SolarHijri(DateTime date)
    {
        string[] months = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];
        var calendar = new PersianCalendar();
        var latin = $"{calendar.GetDayOfMonth(date)} {months[calendar.GetMonth(date) - 1]} {calendar.GetYear(date)}";
        return string.Concat(latin.Select(c => c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c));
    }

    [GeneratedRegex("^به‌روزرسانی: [۰-۹]{1,2} (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) [۰-۹]{4}$")]
    private static partial Regex PersianDate();
}
