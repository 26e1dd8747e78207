using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using static Ateb.E2E.Workspace.WorkspaceSession;

namespace Ateb.E2E.Workspace;

/// <summary>
/// The knowledge base in the agent workspace: a Persian article written, previewed right to left, published and found on
/// the help center; a revision restored; an English article from a ticket's answer. Each test makes its own articles.
/// </summary>
public sealed partial class KbBrowserTests(AtebServerFixture server, BrowserFixture browser) : BrowserTest(server, browser)
{
    [Fact]
    public async Task Persian_agent_writes_a_draft_previews_it_right_to_left_publishes_it_and_readers_find_it()
    {
        var word = PersianWord();
        var title = $"بازگرداندن کالای آسیب‌دیده {word}";
        var category = $"مرجوعی {word}";
        await AsAsync(Page, Sara);

        // A category of its own, named in Persian.
        await GoAsync(Page, "/kb/categories");
        await Expect(Page.Locator("#kb-cat-lang")).ToHaveValueAsync("fa");
        await Page.Locator("#kb-cat-name").FillAsync(category);
        await Page.Locator("[data-testid=kb-category-create] button.primary").ClickAsync();
        await Expect(Page.Locator("[data-testid=kb-category-list] h2", new() { HasText = category })).ToBeVisibleAsync();
        // Named in English too; and an empty category deleted.
        var card = Page.Locator("[data-category]", new() { Has = Page.Locator("h2", new() { HasText = category }) });
        var categoryId = await card.GetAttributeAsync("data-category");
        await Page.Locator($"#cat-{categoryId}-add-lang").SelectOptionAsync("en");
        await Page.Locator($"#cat-{categoryId}-add-name").FillAsync($"Returns {word}");
        await card.Locator("[data-action=rename]").ClickAsync();
        await Expect(Page.Locator($"#cat-{categoryId}-en")).ToHaveValueAsync($"Returns {word}");
        await Page.Locator("#kb-cat-name").FillAsync($"موقت {word}");
        await Page.Locator("[data-testid=kb-category-create] button.primary").ClickAsync();
        var spare = Page.Locator("[data-category]", new() { Has = Page.Locator("h2", new() { HasText = $"موقت {word}" }) });
        await spare.Locator("[data-action=delete-category]").ClickAsync();
        await Page.Locator("#confirm-delete-category").ClickAsync();
        await Expect(spare).ToHaveCountAsync(0);
        await ScreenshotAsync(Page, "kb-categories-fa-desktop");

        await GoAsync(Page, "/kb");
        await Page.Locator("[data-action=new-article]").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/kb/articles/new$"));
        await LiveAsync(Page);
        // A new article starts in the agent's language.
        await Expect(Page.Locator("#kb-new-lang")).ToHaveValueAsync("fa");
        await Page.Locator("#kb-title").FillAsync(title);
        await Page.Locator("#kb-body").FillAsync($"""
            ## پیش از ارسال

            برای **بازگرداندن** کالا این مراحل را دنبال کنید:

            1. وارد حساب کاربری شوید.
            2. سفارش را انتخاب کنید و «بازگرداندن» را بزنید.

            کد {word} را روی بسته بنویسید.
            """);
        await Page.Locator("#kb-category").SelectOptionAsync(new SelectOptionValue { Label = category });

        // The preview is the API's rendering, laid out right to left.
        var preview = Page.Locator("[data-testid=kb-preview]");
        await Expect(preview.Locator("h2")).ToHaveTextAsync("پیش از ارسال");
        await Expect(preview.Locator("strong")).ToHaveTextAsync("بازگرداندن");
        await Expect(preview.Locator("ol > li")).ToHaveCountAsync(2);
        Assert.Equal("rtl", await preview.EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        Assert.Equal("rtl", await Page.Locator("#kb-body").EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        await Expect(Page.Locator("#kb-body")).ToHaveAttributeAsync("lang", "fa");

        await Page.Locator("[data-action=save-draft]").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/kb/articles/[0-9a-f-]{36}\?lang=fa$"));
        var id = Regex.Match(Page.Url, "[0-9a-f-]{36}").Value;
        var tab = Page.Locator("[data-testid=kb-tabs] [data-lang=fa]");
        await Expect(tab).ToHaveAttributeAsync("data-state", "Draft");
        await Expect(Page.Locator("[data-testid=kb-revisions] li")).ToHaveCountAsync(1);
        await ScreenshotAsync(Page, "kb-editor-fa-desktop");
        await AssertAccessibleAsync(Page, "kb-editor-fa");

        // A draft is not on the help center.
        var reader = await NewPageAsync(locale: "fa-IR");
        var response = await reader.APIRequest.GetAsync($"/help/fa/articles/{id}");
        Assert.Equal(404, response.Status);

        await Page.Locator("[data-action=publish]").ClickAsync();
        await Expect(tab).ToHaveAttributeAsync("data-state", "Published");
        await Expect(Page.Locator("[data-testid=kb-public-link]")).ToHaveAttributeAsync("href", $"/help/fa/articles/{id}");

        // The list shows it with its language and state; the KB search finds it by a word of its body.
        await GoAsync(Page, "/kb");
        await Page.Locator("#kb-q").FillAsync(word);
        await Page.Locator("#kb-q").PressAsync("Enter");
        var row = Page.Locator($"[data-article='{id}']");
        await ReloadUntilAsync(Page, row, async () =>
        {
            await GoAsync(Page, "/kb");
            await Page.Locator("#kb-q").FillAsync(word);
            await Page.Locator("#kb-q").PressAsync("Enter");
        });
        await Expect(row.Locator("[data-lang=fa]")).ToHaveAttributeAsync("data-state", "Published");
        await Expect(row).ToContainTextAsync(category);
        await Expect(Page.Locator("[data-article]")).ToHaveCountAsync(1);
        await ScreenshotAsync(Page, "kb-list-fa-desktop");
        await AssertAccessibleAsync(Page, "kb-list-fa");

        // Readers: the help center's home, the article, and its search.
        await reader.GotoAsync("/help/fa");
        await Expect(reader.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await reader.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await Expect(reader).ToHaveURLAsync(new Regex($"/help/fa/articles/{id}$"));
        await Expect(reader.Locator("article h1")).ToHaveTextAsync(title);
        await Expect(reader.Locator("article .content strong")).ToHaveTextAsync("بازگرداندن");
        var hit = reader.Locator("#results li a", new() { HasText = title });
        await ReloadUntilAsync(reader, hit, () => reader.GotoAsync($"/help/fa/search?q={Uri.EscapeDataString(word)}"));
        await hit.ClickAsync();
        await Expect(reader).ToHaveURLAsync(new Regex($"/help/fa/articles/{id}$"));

        // A reader says it did not help, with a comment; an agent reports it outdated (POST …/outdated, as Sara).
        await reader.Locator("form.feedback textarea").FillAsync("کد پیگیری را پیدا نکردم");
        await reader.Locator("form.feedback button[value=no]").ClickAsync();
        await Expect(reader.Locator("main p[role=status]")).ToBeVisibleAsync();
        var reported = await Page.APIRequest.PostAsync($"/api/v1/kb/articles/{id}/outdated", new() { DataObject = new { comment = "هزینهٔ ارسال عوض شده است" } });
        Assert.Equal(200, reported.Status);
        await GoAsync(Page, $"/kb/articles/{id}");
        await Expect(Page.Locator("[data-testid=kb-feedback]")).ToContainTextAsync("کد پیگیری را پیدا نکردم");
        await Expect(Page.Locator("[data-testid=kb-feedback] dd").Nth(1)).ToHaveTextAsync("۱");
        var outdated = Page.Locator("[data-testid=kb-outdated]");
        await Expect(outdated).ToContainTextAsync("هزینهٔ ارسال عوض شده است");
        await Expect(outdated).ToContainTextAsync("سارا احمدی");
        await ScreenshotAsync(Page, "kb-editor-fa-reports-desktop");
        await Page.Locator("[data-action=resolve-outdated]").ClickAsync();
        await Expect(outdated.Locator(".badge")).ToHaveCountAsync(0);
        await Expect(outdated).ToContainTextAsync("کسی این مقاله را قدیمی گزارش نکرده است.");

        // The same screens on a phone.
        var phone = await NewPageAsync(Viewports.Phone, "fa-IR");
        await AsAsync(phone, Sara);
        await GoAsync(phone, $"/kb/articles/{id}");
        await Expect(phone.Locator("[data-testid=kb-preview] strong")).ToHaveTextAsync("بازگرداندن");
        await ScreenshotAsync(phone, "kb-editor-fa-phone");
        await GoAsync(phone, "/kb");
        await Expect(phone.Locator($"[data-article='{id}']")).ToBeVisibleAsync();
        await ScreenshotAsync(phone, "kb-list-fa-phone");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task An_old_revision_is_restored_as_the_newest_version()
    {
        var title = "Restoring check " + Guid.NewGuid().ToString("N")[..6];
        await AsAsync(Page, AtebServer.DemoOwner);
        await GoAsync(Page, "/kb/articles/new?kind=faq");
        // FAQ entries are a question and its answer.
        await Expect(Page.Locator("label[for=kb-title]")).ToHaveTextAsync("Question");
        await Expect(Page.Locator("label[for=kb-body]")).ToContainTextAsync("Answer");
        await Page.Locator("#kb-new-lang").SelectOptionAsync("en");
        await Page.Locator("#kb-title").FillAsync(title);
        await Page.Locator("#kb-body").FillAsync("The *first* answer.");
        await Page.Locator("[data-action=save-draft]").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/kb/articles/[0-9a-f-]{36}\?lang=en$"));
        await Expect(Page.Locator("[data-testid=kb-tabs] [data-lang=en]")).ToHaveAttributeAsync("data-state", "Draft");

        await Page.Locator("#kb-body").FillAsync("The second answer, which turned out wrong.");
        await Expect(Page.Locator("[data-testid=kb-dirty]")).ToBeVisibleAsync();
        await Page.Locator("[data-action=save-draft]").ClickAsync();
        var revisions = Page.Locator("[data-testid=kb-revisions] li");
        await Expect(revisions).ToHaveCountAsync(2);
        await Expect(Page.Locator("[data-testid=kb-dirty]")).ToHaveCountAsync(0);

        var first = Page.Locator("[data-testid=kb-revisions] li[data-version='1']");
        await first.Locator("[data-action=show-revision]").ClickAsync();
        await Expect(first.Locator("[data-testid=kb-revision-text] pre")).ToHaveTextAsync("The *first* answer.");
        await first.Locator("[data-action=restore]").ClickAsync();

        await Expect(revisions).ToHaveCountAsync(3);
        await Expect(revisions.First).ToHaveAttributeAsync("data-version", "3");
        await Expect(Page.Locator("[data-testid=kb-saved]")).ToHaveTextAsync("Version 1 was restored as version 3.");
        await Expect(Page.Locator("#kb-body")).ToHaveValueAsync("The *first* answer.");
        await Expect(Page.Locator("[data-testid=kb-preview] em")).ToHaveTextAsync("first");

        // Another language is a new tab, unsaved until its first save.
        await Page.Locator("#kb-add-lang").SelectOptionAsync("other");
        await Page.Locator("#kb-add-tag").FillAsync("pt-br");
        await Page.Locator("[data-action=add-translation]").ClickAsync();
        await Expect(Page.Locator("[data-testid=kb-tabs] [data-lang=pt-BR]")).ToHaveAttributeAsync("data-state", "unsaved");
        await Expect(Page.Locator("#kb-title")).ToHaveValueAsync("");
        await Page.Locator("[data-action=save-draft]").ClickAsync();
        await Expect(Page.Locator("#kb-error")).ToContainTextAsync("Question");
        await Page.Locator("[data-testid=kb-tabs] [data-lang=en]").ClickAsync();
        await Expect(Page.Locator("#kb-title")).ToHaveValueAsync(title);
        await ScreenshotAsync(Page, "kb-editor-en-desktop");
        await AssertAccessibleAsync(Page, "kb-editor-en");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task An_agent_turns_a_ticket_reply_into_an_english_article()
    {
        var subject = "Router keeps dropping the connection " + Guid.NewGuid().ToString("N")[..6];
        var number = await NewTicketAsync(Server, subject, "My router drops the connection every hour.");
        await AsAsync(Page, AtebServer.DemoOwner);
        await GoAsync(Page, $"/tickets/{number}");
        // No public answer yet: nothing to make an article from.
        await Expect(Page.Locator("[data-testid=timeline]")).ToContainTextAsync("My router drops");
        await Expect(Page.Locator("[data-action=kb-from-ticket]")).ToHaveCountAsync(0);

        const string answer = "Hold the reset button for ten seconds, then wait until the light turns green before you connect again.";
        await Page.Locator("#composer-text").FillAsync(answer);
        await Page.Locator("[data-send]").ClickAsync();
        await Expect(Page.Locator("[data-kind=public]").Last).ToContainTextAsync("Hold the reset button");
        await Page.Locator("#p-status").SelectOptionAsync("Solved");
        await Expect(Page.Locator("[data-testid=ticket-status]")).ToHaveTextAsync("Solved");
        await ScreenshotAsync(Page, "kb-ticket-en-desktop");

        await Page.Locator("[data-action=kb-from-ticket]").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/kb/articles/[0-9a-f-]{36}$"));
        await Expect(Page.Locator("#kb-title")).ToHaveValueAsync(subject);
        await Expect(Page.Locator("#kb-body")).ToHaveValueAsync(new Regex("Hold the reset button for ten seconds"));
        await Expect(Page.Locator("[data-testid=kb-tabs] [data-lang=en]")).ToHaveAttributeAsync("data-state", "Draft");
        await Expect(Page.Locator("[data-testid=kb-preview]")).ToContainTextAsync("Hold the reset button");
        Assert.Equal("ltr", await Page.Locator("[data-testid=kb-preview]").EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        await Expect(Page.Locator($"[data-testid=kb-settings] a[href='/tickets/{number}']")).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "kb-from-ticket-en-desktop");

        // The owner sets a review date in the past: the article is due, and listed so.
        await Page.Locator("#kb-review").FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Page.Locator("#kb-review").PressAsync("Tab");
        await Page.Locator("[data-action=save-settings]").ClickAsync();
        await Expect(Page.Locator("[data-testid=kb-saved]")).ToHaveTextAsync("Settings saved.");
        var id = Regex.Match(Page.Url, "[0-9a-f-]{36}").Value;
        await GoAsync(Page, "/kb");
        await Page.Locator("#kb-f-due").CheckAsync();
        await Expect(Page.Locator($"[data-article='{id}']")).ToBeVisibleAsync();
        await Expect(Page.Locator($"[data-article='{id}'] .badge-warn")).ToBeVisibleAsync();
        await ScreenshotAsync(Page, "kb-list-en-desktop");

        var phone = await NewPageAsync(Viewports.Phone);
        await AsAsync(phone, AtebServer.DemoOwner);
        await GoAsync(phone, $"/kb/articles/{id}");
        await Expect(phone.Locator("#kb-title")).ToHaveValueAsync(subject);
        await ScreenshotAsync(phone, "kb-editor-en-phone");
        await GoAsync(phone, "/kb");
        await ScreenshotAsync(phone, "kb-list-en-phone");
        await GoAsync(phone, $"/tickets/{number}");
        await Expect(phone.Locator("[data-action=kb-from-ticket]")).ToBeVisibleAsync();
        await ScreenshotAsync(phone, "kb-ticket-en-phone");
        AssertNoBrowserErrors();
    }

    private static readonly ConcurrentDictionary<(AtebServer, string), Cookie[]> Sessions = new();

    /// <summary>
    /// Signed in as <paramref name="email"/>: through the sign-in page the first time, then with that session's cookies,
    /// so this class adds one sign-in per agent to the run (the server allows ten per address in fifteen minutes).
    /// </summary>
    private async Task AsAsync(IPage page, string email)
    {
        if (Sessions.TryGetValue((Server, email), out var cookies))
        {
            await page.Context.AddCookiesAsync(cookies);
            return;
        }
        await SignInAsync(page, email);
        Sessions[(Server, email)] = [.. (await page.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        })];
    }

    /// <summary>A word of random Persian letters: this test's own, so searches find its article and nothing else.</summary>
    private const string PersianLetters = "بپتجچحخدرزسشصطعغفقکگلمنوهی";

    private static string PersianWord() =>
        string.Concat(Enumerable.Range(0, 7).Select(_ => PersianLetters[Random.Shared.Next(PersianLetters.Length)]));

    /// <summary>Search is indexed in the background: look again (up to ~15 s) until <paramref name="target"/> shows.</summary>
    private static async Task ReloadUntilAsync(IPage page, ILocator target, Func<Task> load)
    {
        for (var i = 0; i < 30; i++)
        {
            if (await target.CountAsync() > 0)
            {
                return;
            }
            await Task.Delay(500);
            await load();
        }
        await Expect(target.First).ToBeVisibleAsync();
    }
}
