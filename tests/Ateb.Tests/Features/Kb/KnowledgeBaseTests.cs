using Ateb.Features.Kb;
using Ateb.Features.Tickets;

namespace Ateb.Tests.Features.Kb;

public sealed class KnowledgeBaseTests(AtebApp app) : IClassFixture<AtebApp>
{
    private static async Task<KbArticleResponse> ArticleAsync(TestWorkspace ws, object body) =>
        await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", body)).ReadAsync<KbArticleResponse>();

    private static async Task<KbSearchResult[]> SearchUntilAsync(TestWorkspace ws, string q, Func<KbSearchResult[], bool> done, string? lang = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var url = "/api/v1/kb/search?q=" + Uri.EscapeDataString(q) + (lang is null ? "" : "&lang=" + lang);
            var results = await (await ws.Owner.GetAsync(url)).ReadAsync<KbSearchResult[]>();
            if (done(results) || DateTime.UtcNow > deadline)
            {
                return results;
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Articles_have_translations_drafts_revisions_and_only_published_ones_are_found()
    {
        var ws = await app.CreateWorkspaceAsync();
        var category = await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/categories", new
        {
            names = new[] { new { language = "en", name = "Orders" }, new { language = "fa", name = "سفارش‌ها" } },
        })).ReadAsync<KbCategoryResponse>();
        var article = await ArticleAsync(ws, new
        {
            categoryId = category.Id, reviewBy = "2026-01-01",
            translation = new { language = "en", title = "Tracking your parcel", markdown = "Open **Orders** and press *Track*.\n\n<script>alert(1)</script>", publish = true },
        });
        var en = Assert.Single(article.Translations);
        Assert.Contains("<strong>Orders</strong>", en.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", en.Html, StringComparison.Ordinal);
        Assert.Equal(KbState.Published, en.State);

        // A Persian translation, first as a draft: not searchable until published.
        var url = $"/api/v1/kb/articles/{article.Id}/translations/fa";
        (await ws.Owner.PutAsJsonAsync(url, new { title = "پیگیری مرسوله", markdown = "برای پیگیری مرسوله به بخش سفارش‌ها بروید." })).EnsureSuccessStatusCode();
        Assert.Single(await SearchUntilAsync(ws, "parcel", r => r.Length > 0));
        Assert.Empty(await (await ws.Owner.GetAsync("/api/v1/kb/search?q=" + Uri.EscapeDataString("مرسوله "))).ReadAsync<KbSearchResult[]>());
        var published = await (await ws.Owner.PutAsJsonAsync(url, new { title = "پیگیری مرسوله", markdown = "برای پیگیری مرسوله به بخش سفارش‌ها بروید.", publish = true }))
            .ReadAsync<KbArticleResponse>();
        Assert.Equal(2, published.Translations.Single(t => t.Language == "fa").Version);
        var found = Assert.Single(await SearchUntilAsync(ws, "سفارشها", r => r.Length > 0, lang: "fa"));
        Assert.Equal("fa", found.Language);
        Assert.Contains("<mark>", found.Snippet, StringComparison.Ordinal);

        var revisions = await (await ws.Owner.GetAsync(url + "/revisions")).ReadAsync<KbRevisionResponse[]>();
        Assert.Equal([1, 2], revisions.Select(r => r.Version));

        var due = await (await ws.Owner.GetAsync("/api/v1/kb/articles?due=true")).ReadAsync<KbArticleResponse[]>();
        Assert.Equal(article.Id, Assert.Single(due).Id);
    }

    [Fact]
    public async Task Suggestions_find_the_articles_a_customers_message_is_about()
    {
        var ws = await app.CreateWorkspaceAsync();
        var refund = await ArticleAsync(ws, new { translation = new { language = "en", title = "Getting a refund", markdown = "Refunds reach your card within five days.", publish = true } });
        await ArticleAsync(ws, new { translation = new { language = "en", title = "Changing your address", markdown = "Edit the delivery address in your account.", publish = true } });
        await SearchUntilAsync(ws, "address", r => r.Length > 0);
        await SearchUntilAsync(ws, "refund", r => r.Length > 0);
        var message = "Hello, I returned the shoes last week and I still have not received my refund. Can you check?";
        var suggestions = await (await ws.Owner.GetAsync("/api/v1/kb/suggestions?text=" + Uri.EscapeDataString(message))).ReadAsync<KbSearchResult[]>();
        Assert.Equal(refund.Id, suggestions.First().ArticleId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ws.Owner.GetAsync("/api/v1/kb/suggestions")).StatusCode);
    }

    [Fact]
    public async Task Outdated_reports_are_counted_and_listed()
    {
        var ws = await app.CreateWorkspaceAsync();
        var article = await ArticleAsync(ws, new { translation = new { language = "cy", title = "Oriau agor", markdown = "Rydym ar agor tan 5.", publish = true } });
        (await ws.Owner.PostAsJsonAsync($"/api/v1/kb/articles/{article.Id}/outdated", new { comment = "We close at 6 now." })).EnsureSuccessStatusCode();
        var again = await (await ws.Owner.PostAsJsonAsync($"/api/v1/kb/articles/{article.Id}/outdated", new { })).ReadAsync<KbArticleResponse>();
        Assert.Equal(2, again.OutdatedReports);
        var outdated = await (await ws.Owner.GetAsync("/api/v1/kb/articles?outdated=true")).ReadAsync<KbArticleResponse[]>();
        Assert.Equal(article.Id, Assert.Single(outdated).Id);
    }

    [Fact]
    public async Task Articles_and_categories_change_move_and_go_and_an_internal_article_keeps_its_search()
    {
        var ws = await app.CreateWorkspaceAsync();
        var category = await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/categories", new { names = new[] { new { language = "en", name = "Billing" } } }))
            .ReadAsync<KbCategoryResponse>();
        var article = await ArticleAsync(ws, new { categoryId = category.Id, translation = new { language = "en", title = "Invoices", markdown = "Download invoices from Billing.", publish = true } });
        var patched = await (await ws.Owner.PatchAsJsonAsync($"/api/v1/kb/articles/{article.Id}", new { isInternal = true, reviewBy = "2030-01-01", kind = "faq" }))
            .ReadAsync<KbArticleResponse>();
        Assert.True(patched.IsInternal);
        Assert.Equal(KbArticleKind.Faq, patched.Kind);
        Assert.Equal(new DateOnly(2030, 1, 1), patched.ReviewBy);
        var found = Assert.Single(await SearchUntilAsync(ws, "invoices", r => r.Length > 0 && r[0].IsInternal));
        Assert.True(found.IsInternal);

        var renamed = await (await ws.Owner.PatchAsJsonAsync($"/api/v1/kb/categories/{category.Id}", new { names = new[] { new { language = "cy", name = "Biliau" } } }))
            .ReadAsync<KbCategoryResponse>();
        Assert.Equal(["cy", "en"], renamed.Names.Select(n => n.Language!).Order());
        Assert.Equal(HttpStatusCode.Conflict, (await ws.Owner.DeleteAsync($"/api/v1/kb/categories/{category.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.DeleteAsync($"/api/v1/kb/articles/{article.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.DeleteAsync($"/api/v1/kb/categories/{category.Id}")).StatusCode);
        Assert.Empty(await SearchUntilAsync(ws, "invoices", r => r.Length == 0));
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.GetAsync($"/api/v1/kb/articles/{article.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_solved_tickets_answer_becomes_a_draft_article()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Reset password", requester = new { email = "a@b.example" }, message = new { text = "I forgot it" } }))
            .ReadAsync<TicketResponse>();
        (await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/messages", new { text = "Use the 'Forgot password' link on the sign-in page.", status = "solved" })).EnsureSuccessStatusCode();
        var article = await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles/from-ticket", new { ticketId = ticket.Id })).ReadAsync<KbArticleResponse>();
        Assert.Equal(ticket.Id, article.SourceTicketId);
        var draft = Assert.Single(article.Translations);
        Assert.Equal(KbState.Draft, draft.State);
        Assert.Equal("Reset password", draft.Title);
        Assert.Contains("Forgot password", draft.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_light_agents_only_read()
    {
        var ws = await app.CreateWorkspaceAsync();
        var bad = await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", new { translation = new { language = "not a tag", title = "" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("translation.language", out _));
        Assert.True(errors.TryGetProperty("translation.title", out _));
        var noCategory = await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", new { categoryId = Guid.NewGuid(), translation = new { language = "en", title = "x" } });
        Assert.True((await noCategory.ProblemAsync()).GetProperty("errors").TryGetProperty("categoryId", out _));
        var (light, _) = await ws.AddAgentAsync(Ateb.Features.Agents.Role.LightAgent);
        Assert.Equal(HttpStatusCode.Forbidden, (await light.PostAsJsonAsync("/api/v1/kb/articles", new { translation = new { language = "en", title = "x" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await light.GetAsync("/api/v1/kb/articles")).StatusCode);
    }
}
