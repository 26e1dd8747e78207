using Ateb.Features.Kb;

namespace Ateb.Tests.Features.Kb;

/// <summary>The public help center of the default workspace (this class's first and only workspace), read as a visitor.</summary>
public sealed class HelpCenterTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Visitors_read_published_public_articles_in_their_language_and_nothing_else()
    {
        var ws = await app.CreateWorkspaceAsync("Acme Help");
        var category = await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/categories", new
        {
            names = new[] { new { language = "en", name = "Orders" }, new { language = "fa", name = "سفارش‌ها" } },
        })).ReadAsync<KbCategoryResponse>();
        var article = await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", new
        {
            categoryId = category.Id,
            translation = new { language = "fa", title = "پیگیری مرسوله", markdown = "برای **پیگیری** مرسوله به بخش سفارش‌ها بروید.", publish = true },
        })).ReadAsync<KbArticleResponse>();
        (await ws.Owner.PutAsJsonAsync($"/api/v1/kb/articles/{article.Id}/translations/en",
            new { title = "Tracking your parcel", markdown = "Open Orders and press Track.", publish = true })).EnsureSuccessStatusCode();
        var draft = await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", new
        {
            categoryId = category.Id, translation = new { language = "fa", title = "پیش‌نویس محرمانه", markdown = "هنوز آماده نیست" },
        })).ReadAsync<KbArticleResponse>();
        var internalArticle = await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", new
        {
            categoryId = category.Id, isInternal = true, translation = new { language = "fa", title = "راهنمای داخلی کارکنان", markdown = "فقط برای کارکنان", publish = true },
        })).ReadAsync<KbArticleResponse>();
        var sibling = await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", new
        {
            categoryId = category.Id, translation = new { language = "fa", title = "تغییر نشانی تحویل", markdown = "نشانی را در حساب کاربری عوض کنید.", publish = true },
        })).ReadAsync<KbArticleResponse>();
        var visitor = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var home = await visitor.GetStringAsync("/help/fa");
        Assert.Contains("<html lang=\"fa\" dir=\"rtl\">", home, StringComparison.Ordinal);
        Assert.Contains("سفارش‌ها", home, StringComparison.Ordinal);
        Assert.Contains("پیگیری مرسوله", home, StringComparison.Ordinal);
        Assert.DoesNotContain("پیش‌نویس محرمانه", home, StringComparison.Ordinal);
        Assert.DoesNotContain("راهنمای داخلی", home, StringComparison.Ordinal);

        var page = await visitor.GetStringAsync($"/help/fa/articles/{article.Id}");
        Assert.Contains("<strong>پیگیری</strong>", page, StringComparison.Ordinal);
        Assert.Contains("dir=\"auto\" class=\"content\"", page, StringComparison.Ordinal);
        Assert.Contains($"hreflang=\"en\" href=\"http://localhost/help/en/articles/{article.Id}\"", page, StringComparison.Ordinal);
        Assert.Contains($"<link rel=\"canonical\" href=\"http://localhost/help/fa/articles/{article.Id}\">", page, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"description\" content=\"برای پیگیری مرسوله", page, StringComparison.Ordinal);
        Assert.Matches("<p class=\"meta\">به‌روزرسانی: [۰-۹]{1,2} (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴[۰-۹]{2}</p>", page);
        Assert.Contains("مقاله‌های مرتبط", page, StringComparison.Ordinal);
        Assert.Contains($"/help/fa/articles/{sibling.Id}", page, StringComparison.Ordinal);
        var english = await visitor.GetStringAsync($"/help/en/articles/{article.Id}");
        Assert.Contains("<html lang=\"en\" dir=\"ltr\">", english, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/help/fa/articles/{draft.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/help/fa/articles/{internalArticle.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/help/cy/articles/{article.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/help/not%20a%20tag")).StatusCode);

        // Search understands the letters (Arabic yeh and kaf typed on a Persian page) and never shows internal articles.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string results;
        do
        {
            results = await visitor.GetStringAsync("/help/fa/search?q=" + Uri.EscapeDataString("پيگيري"));
        }
        while (!results.Contains(article.Id.ToString(), StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Delay());
        Assert.Contains($"/help/fa/articles/{article.Id}", results, StringComparison.Ordinal);
        Assert.Contains("<mark>", results, StringComparison.Ordinal);
        // As you type: JSON for the search box, the last word a prefix.
        var live = await visitor.GetStringAsync("/help/fa/search.json?q=" + Uri.EscapeDataString("پیگ"));
        Assert.Contains($"/help/fa/articles/{article.Id}", live, StringComparison.Ordinal);
        Assert.Contains("live-search.js", results, StringComparison.Ordinal);
        var script = await visitor.GetAsync("/help/live-search.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        var staff = await visitor.GetStringAsync("/help/fa/search?q=" + Uri.EscapeDataString("کارکنان"));
        Assert.DoesNotContain("راهنمای داخلی", staff, StringComparison.Ordinal);

        // "Was this helpful?" with a comment, then the agents' summary.
        var feedback = await visitor.PostAsync($"/help/fa/articles/{article.Id}/feedback", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["helpful"] = "no", ["comment"] = "کد رهگیری کار نمی‌کند",
        }));
        Assert.Equal(HttpStatusCode.Redirect, feedback.StatusCode);
        Assert.Contains("ممنون از بازخورد", await visitor.GetStringAsync(feedback.Headers.Location!.ToString()), StringComparison.Ordinal);
        var summary = await (await ws.Owner.GetAsync($"/api/v1/kb/articles/{article.Id}/feedback")).ReadAsync<KbFeedbackSummary>();
        Assert.Equal(1, summary.NotHelpful);
        Assert.Equal("کد رهگیری کار نمی‌کند", Assert.Single(summary.Comments));
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.PostAsync($"/help/fa/articles/{internalArticle.Id}/feedback",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["helpful"] = "yes" }))).StatusCode);

        // The contact form opens a ticket through the inbound pipeline; a bad address is named; robots get nothing.
        Assert.Contains("name=\"email\"", await visitor.GetStringAsync("/help/fa/contact"), StringComparison.Ordinal);
        var bad = await visitor.PostAsync("/help/fa/contact", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "not-an-email", ["message"] = "سلام" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("ایمیل درست نیست", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var sent = await visitor.PostAsync("/help/fa/contact", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "سارا", ["email"] = "sara@customer.example", ["subject"] = "مرسوله نرسید", ["message"] = "سفارش من هنوز نرسیده است.",
        }));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("شمارهٔ درخواست", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var robot = await visitor.PostAsync("/help/fa/contact", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "bot@spam.example", ["message"] = "buy now", ["website"] = "http://spam.example",
        }));
        Assert.Equal(HttpStatusCode.OK, robot.StatusCode);
        var tickets = await ws.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Tickets.Where(t => t.Channel == Ateb.Features.Tickets.Channel.HelpCenter)));
        Assert.Equal("مرسوله نرسید", Assert.Single(tickets).Subject);

        var sitemap = await visitor.GetStringAsync("/sitemap.xml");
        Assert.Contains($"<loc>http://localhost/help/fa/articles/{article.Id}</loc>", sitemap, StringComparison.Ordinal);
        Assert.Contains("hreflang=\"en\"", sitemap, StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Id.ToString(), sitemap, StringComparison.Ordinal);
        Assert.DoesNotContain(internalArticle.Id.ToString(), sitemap, StringComparison.Ordinal);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }
}
