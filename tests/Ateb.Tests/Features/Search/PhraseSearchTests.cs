using Ateb.Features.Kb;
using Ateb.Features.Search;
using Ateb.Features.Tickets;

namespace Ateb.Tests.Features.Search;

/// <summary>
/// "Quoted words" match only adjacent and in order, with the same results on SQLite FTS5 and PostgreSQL (this class runs
/// on both). Inside quotes every word keeps its forms (stems, Welsh radicals, Arabic-script spellings, ZWNJ joins) and
/// stopwords count: documents keep them.
/// </summary>
public sealed class PhraseSearchTests(AtebApp app) : IClassFixture<AtebApp>
{
    private static async Task<TicketResponse> TicketAsync(TestWorkspace ws, string subject, string text) =>
        await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject, requester = new { email = "customer@example.com" }, message = new { text } })).ReadAsync<TicketResponse>();

    private static async Task<Guid[]> TicketsAsync(TestWorkspace ws, string q) =>
        [.. (await (await ws.Owner.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(q))).ReadAsync<SearchResponse>()).Tickets.Select(t => t.Id)];

    /// <summary>Each case: a message, then queries that must find it and queries that must not (tickets index in the same commit).</summary>
    [Theory]
    // English: stopwords inside quotes count; stems apply; order and adjacency matter.
    [InlineData("Please reset the password for my account",
        new[] { "\"reset the password\"", "\"resets the passwords\"", "\"password for my account\" ", "please \"reset the\"", "\"reset the pass" },
        new[] { "\"password reset\"", "\"reset password\"", "\"the reset password\"", "\"account my\"", "\"reset the password\" invoice", "\"reset a password\"" })]
    // Persian: «کسب‌وکار» meets «کسب و کار»; ي/ك typed the Arabic way; «نمی‌شود» meets «نمیشود».
    [InlineData("کسب و کار من متوقف شده و پرداخت انجام نمی‌شود",
        new[] { "\"کسب‌وکار من\"", "\"کسبوکار من متوقف\"", "\"كسب و كار من\"", "\"انجام نمیشود\"", "\"انجام نمی شود\"", "\"من متوقف شده\"" },
        new[] { "\"من کسب و کار\"", "\"نمیشود انجام\"", "\"کار متوقف\"", "\"پرداخت شده\"" })]
    // Arabic: the article prefix and alef forms fold inside a phrase.
    [InlineData("لم يصل الطلب إلى العنوان الصحيح",
        new[] { "\"يصل الطلب\"", "\"يصل طلب\"", "\"الى العنوان الصحيح\"", "\"لم يصل\"" },
        new[] { "\"الطلب يصل\"", "\"لم الطلب\"", "\"العنوان إلى\"", "\"يصل العنوان\"" })]
    // Welsh: mutated words meet their radicals inside a phrase; «ein» is a stopword and still counts there.
    [InlineData("Mae ein nghwsmeriaid yn hapus iawn gyda'r gwasanaeth",
        new[] { "\"cwsmeriaid yn hapus\"", "\"ein cwsmeriaid\"", "\"ein gwsmeriaid yn\"", "\"hapus iawn\"" },
        new[] { "\"hapus cwsmeriaid\"", "\"cwsmeriaid hapus\"", "\"eich cwsmeriaid\"", "\"iawn hapus\"" })]
    public async Task Quoted_words_match_only_adjacent_and_in_order(string text, string[] finds, string[] missesQueries)
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await TicketAsync(ws, "Question", text);
        // A decoy that holds every word, in another order: only a phrase query can tell the two apart.
        var decoy = await TicketAsync(ws, "Other", string.Join(' ', text.Split(' ').Reverse()));
        foreach (var q in finds)
        {
            Assert.True((await TicketsAsync(ws, q)).Contains(ticket.Id), $"«{q}» did not find «{text}»");
        }
        foreach (var q in missesQueries)
        {
            Assert.False((await TicketsAsync(ws, q)).Contains(ticket.Id), $"«{q}» found «{text}»");
        }
        // Without quotes the same words find both.
        var unquoted = await TicketsAsync(ws, finds[0].Replace("\"", "", StringComparison.Ordinal) + " ");
        Assert.Contains(ticket.Id, unquoted);
    }

    /// <summary>
    /// Phrases made only of common words (stopwords in every language: PostgreSQL walks to them through one lexeme per two
    /// adjacent common words, see PostgresSearchEngine.CommonPairs) find them adjacent and in order only; a decoy holds
    /// the same words in reverse. An open phrase (being typed) still matches its last word as a prefix.
    /// </summary>
    [Theory]
    [InlineData("Thank you my friend, it is for the best of us",
        new[] { "\"you my\"", "\"for the\"", "\"it is for the\"", "\"thank you my\"", "\"it is for the b", "\"you my" },
        new[] { "\"my you\"", "\"you for\"", "\"is the\"", "\"the for\"", "\"of the\"" })]
    [InlineData("لطفا این را بررسی کنید و از آن ممنونم",
        new[] { "\"این را\"", "\"و از آن\"", "\"اینرا\"" },
        new[] { "\"را این\"", "\"این و\"", "\"آن از\"" })]
    [InlineData("هذا مع الطلب الذي في هذه الحالة",
        new[] { "\"هذا مع\"", "\"الذي في هذه\"" },
        new[] { "\"مع هذا\"", "\"في الذي\"", "\"هذا في\"" })]
    [InlineData("Mae hi ar y ffordd ac mae hi yma",
        new[] { "\"ar y\"", "\"mae hi ar y\"", "\"ac mae hi yma\"" },
        new[] { "\"y ar\"", "\"hi mae ar\"", "\"yma hi\"" })]
    public async Task A_phrase_of_common_words_matches_only_adjacent_and_in_order(string text, string[] finds, string[] missesQueries)
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await TicketAsync(ws, "Question", text);
        var decoy = await TicketAsync(ws, "Other", string.Join(' ', text.Split(' ').Reverse()));
        foreach (var q in finds)
        {
            var found = await TicketsAsync(ws, q);
            Assert.True(found.Contains(ticket.Id), $"«{q}» did not find «{text}»");
            Assert.False(found.Contains(decoy.Id), $"«{q}» found the reversed «{text}»");
        }
        foreach (var q in missesQueries)
        {
            Assert.False((await TicketsAsync(ws, q)).Contains(ticket.Id), $"«{q}» found «{text}»");
        }
    }

    [Fact]
    public async Task A_phrase_tells_a_message_from_one_with_the_same_words_apart()
    {
        var ws = await app.CreateWorkspaceAsync();
        var right = await TicketAsync(ws, "Card", "My card was charged twice for one order.");
        var wrong = await TicketAsync(ws, "Order", "One order, and twice my card was charged.");
        var both = await TicketsAsync(ws, "charged twice card ");
        Assert.Equal(2, both.Length);
        Assert.Contains(right.Id, both);
        Assert.Contains(wrong.Id, both);
        Assert.Equal([right.Id], await TicketsAsync(ws, "\"charged twice\" card"));
        Assert.Equal([wrong.Id], await TicketsAsync(ws, "«twice my card» charged"));
        Assert.Empty(await TicketsAsync(ws, "\"charged twice\" \"twice my card\""));
        // The ticket list's text filter understands quotes the same way.
        var page = await (await ws.Owner.GetAsync("/api/v1/tickets?q=" + Uri.EscapeDataString("\"was charged twice\""))).ReadAsync<TicketPage>();
        Assert.Equal(right.Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public async Task A_phrase_does_not_run_from_an_article_title_into_its_body_and_marks_its_words()
    {
        var ws = await app.CreateWorkspaceAsync();
        var article = await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", new
        {
            translation = new { language = "en", title = "Reset your password", markdown = "Account settings hold the reset link.", publish = true },
        })).ReadAsync<KbArticleResponse>();
        // Articles are indexed by a job moments after the commit.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var found = await ArticlesAsync(ws, "\"reset link\"");
        while (found.Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            found = await ArticlesAsync(ws, "\"reset link\"");
        }
        Assert.Equal(article.Id, Assert.Single(found).ArticleId);
        Assert.Contains("<mark>reset</mark> <mark>link</mark>", found[0].Snippet, StringComparison.Ordinal);
        Assert.Empty(await ArticlesAsync(ws, "\"password account\""));
        Assert.Single(await ArticlesAsync(ws, "\"your password\""));
    }

    private static async Task<KbSearchResult[]> ArticlesAsync(TestWorkspace ws, string q) =>
        await (await ws.Owner.GetAsync("/api/v1/kb/search?q=" + Uri.EscapeDataString(q))).ReadAsync<KbSearchResult[]>();
}
