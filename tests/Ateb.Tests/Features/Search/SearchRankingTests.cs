using Ateb.Features.Kb;
using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Search;

/// <summary>Ranking, the per-kind candidate walk and the batched backfill; the same expectations on SQLite and PostgreSQL.</summary>
public sealed class SearchRankingTests(AtebApp app) : IClassFixture<AtebApp>
{
    private static async Task<KbArticleResponse> ArticleAsync(TestWorkspace ws, string title, string markdown) =>
        await (await ws.Owner.PostAsJsonAsync("/api/v1/kb/articles", new { translation = new { language = "en", title, markdown, publish = true } }))
            .ReadAsync<KbArticleResponse>();

    private static async Task<TicketResponse> TicketAsync(TestWorkspace ws, string subject, string text) =>
        await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets",
            new { subject, requester = new { email = "zed@example.com" }, message = new { text } })).ReadAsync<TicketResponse>();

    private static async Task<KbSearchResult[]> KbSearchUntilAsync(TestWorkspace ws, string q, Func<KbSearchResult[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var results = await (await ws.Owner.GetAsync("/api/v1/kb/search?q=" + Uri.EscapeDataString(q))).ReadAsync<KbSearchResult[]>();
            if (done(results) || DateTime.UtcNow > deadline)
            {
                return results;
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_word_in_the_title_ranks_first_then_the_text_that_repeats_it()
    {
        var ws = await app.CreateWorkspaceAsync();
        // Created oldest first in the order they should rank, so a newest-first order would fail.
        var title = await ArticleAsync(ws, "Thermostat settings", "How to change what the display shows on the wall unit.");
        var twice = await ArticleAsync(ws, "Heating", "The thermostat beeps. Replace the thermostat battery.");
        var once = await ArticleAsync(ws, "Boiler pressure",
            "Check the gauge on the front of the boiler, top it up with the filling loop, and ask the thermostat installer if it drops again soon.");
        var found = await KbSearchUntilAsync(ws, "thermostat ", r => r.Length == 3);
        Assert.Equal([title.Id, twice.Id, once.Id], found.Select(r => r.ArticleId));
    }

    [Fact]
    public async Task Newer_documents_of_other_kinds_and_workspaces_do_not_crowd_out_the_asked_for_kind()
    {
        var ws = await app.CreateWorkspaceAsync();
        var other = await app.CreateWorkspaceAsync();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets",
            new { subject = "Question", requester = new { email = "zed@example.com" }, message = new { text = "The quokka statue arrived broken." } })).ReadAsync<TicketResponse>();
        var foreign = await (await other.Owner.PostAsJsonAsync("/api/v1/tickets",
            new { subject = "Question", requester = new { email = "zed@example.com" }, message = new { text = "Another quokka statue." } })).ReadAsync<TicketResponse>();
        // More than the candidate cap of newer articles holding the word, indexed after the message (by the backfill).
        await LegacyArticlesAsync(ws, SearchLimits.Candidates + 100, i => $"Quokka guide {i}");
        await app.Services.GetRequiredService<SearchBackfill>().RunOnceAsync(CancellationToken.None);

        var result = await (await ws.Owner.GetAsync("/api/v1/search?q=quokka%20")).ReadAsync<SearchResponse>();
        Assert.Equal(ticket.Id, Assert.Single(result.Tickets).Id);
        var theirs = await (await other.Owner.GetAsync("/api/v1/search?q=quokka%20")).ReadAsync<SearchResponse>();
        Assert.Equal(foreign.Id, Assert.Single(theirs.Tickets).Id);
        Assert.NotEmpty(await (await ws.Owner.GetAsync("/api/v1/kb/search?q=quokka%20")).ReadAsync<KbSearchResult[]>());
        Assert.Empty(await (await other.Owner.GetAsync("/api/v1/kb/search?q=quokka%20")).ReadAsync<KbSearchResult[]>());
        // A phrase over the same documents: the phrase budget counts documents of the asked-for kinds only.
        var phrase = await (await ws.Owner.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("\"quokka statue\""))).ReadAsync<SearchResponse>();
        Assert.Equal(ticket.Id, Assert.Single(phrase.Tickets).Id);
    }

    [Fact]
    public async Task Other_kinds_are_walked_down_to_the_floor_of_the_commonest_kind_and_keep_what_is_newer()
    {
        var ws = await app.CreateWorkspaceAsync();
        var oldest = await TicketAsync(ws, "Otter question", "Nothing about animals.");
        var notes = await TicketAsync(ws, "Notes", "Nothing yet.");
        // More than the candidate cap of messages holding the word, all newer than the first ticket: messages are walked
        // first and fill the cap, so only tickets at least as new as the oldest of them can be among the candidates.
        var engine = app.Services.GetRequiredService<ISearchEngine>();
        await ws.DbAsync(async db =>
        {
            var index = new SearchIndex(db, engine, TimeProvider.System);
            for (var i = 0; i < SearchLimits.Candidates + 20; i++)
            {
                db.SearchDocuments.Add(index.Build(new SearchDocument { Kind = SearchKinds.Message, EntityId = Guid.NewGuid() }, "", $"Otter note {i}.", notes.Id, false));
            }
            return await db.SaveChangesAsync();
        });
        var newest = await TicketAsync(ws, "Otter again", "Nothing about animals.");

        var found = (await (await ws.Owner.GetAsync("/api/v1/search?q=otter%20")).ReadAsync<SearchResponse>()).Tickets.Select(t => t.Id).ToList();
        Assert.Contains(newest.Id, found);
        Assert.Contains(notes.Id, found);
        Assert.DoesNotContain(oldest.Id, found);
    }

    /// <summary>
    /// The same with the commonest kind's matches spread out (more than PostgresSearchEngine's dense span of ids per
    /// candidate): the other kinds' walks down to the floor then go through their own GIN index on PostgreSQL, and must keep
    /// the same documents: newer than the floor found, older not.
    /// </summary>
    [Fact]
    public async Task Other_kinds_keep_what_is_newer_than_the_floor_when_the_commonest_kinds_matches_are_spread_out()
    {
        var ws = await app.CreateWorkspaceAsync();
        var notes = await TicketAsync(ws, "Notes", "Nothing yet.");
        var engine = app.Services.GetRequiredService<ISearchEngine>();
        const int spread = 25, matches = SearchLimits.Candidates + 20;
        // Messages holding the word, each followed by `spread` others without it, written in three runs with a ticket
        // holding the word between them: one older than the floor (the 21st newest match from the end is the oldest kept),
        // one newer, and one newer than every message.
        Task<int> MessagesAsync(int from, int to) => ws.DbAsync(async db =>
        {
            var index = new SearchIndex(db, engine, TimeProvider.System);
            for (var i = from; i < to; i++)
            {
                db.SearchDocuments.Add(index.Build(new SearchDocument { Kind = SearchKinds.Message, EntityId = Guid.NewGuid() }, "", $"Stoat note {i}.", notes.Id, false));
                for (var j = 0; j < spread; j++)
                {
                    db.SearchDocuments.Add(index.Build(new SearchDocument { Kind = SearchKinds.Message, EntityId = Guid.NewGuid() }, "", $"Plain note {i} {j}.", notes.Id, false));
                }
            }
            return await db.SaveChangesAsync();
        });
        await MessagesAsync(0, 10);
        var older = await TicketAsync(ws, "Stoat question", "Nothing about animals.");
        await MessagesAsync(10, 500);
        var middle = await TicketAsync(ws, "Stoat again", "Nothing about animals.");
        await MessagesAsync(500, matches);
        var newest = await TicketAsync(ws, "Stoat once more", "Nothing about animals.");

        var found = (await (await ws.Owner.GetAsync("/api/v1/search?q=stoat%20")).ReadAsync<SearchResponse>()).Tickets.Select(t => t.Id).ToList();
        Assert.Contains(newest.Id, found);
        Assert.Contains(middle.Id, found);
        Assert.Contains(notes.Id, found);
        Assert.DoesNotContain(older.Id, found);
    }

    [Fact]
    public async Task The_backfill_indexes_everything_in_batches_and_resumes_where_documents_are_missing()
    {
        var ws = await app.CreateWorkspaceAsync();
        const int count = 2345;
        var ids = await LegacyArticlesAsync(ws, count, i => $"Walrus manual {i}");
        var backfill = app.Services.GetRequiredService<SearchBackfill>();
        await backfill.RunOnceAsync(CancellationToken.None);
        Assert.Equal(count, await ArticleDocumentsAsync(ws));

        // Documents lost here and there (a restore, a failed batch): the next run writes exactly those.
        var lost = ids.Where((_, i) => i % 7 == 3).ToList();
        await ws.DbAsync(db => db.SearchDocuments.Where(d => d.Kind == SearchKinds.Article && lost.Contains(d.EntityId)).ExecuteDeleteAsync());
        Assert.Equal(count - lost.Count, await ArticleDocumentsAsync(ws));
        await backfill.RunOnceAsync(CancellationToken.None);
        Assert.Equal(count, await ArticleDocumentsAsync(ws));
        Assert.Equal(0, await backfill.RunOnceAsync(CancellationToken.None));

        var last = await (await ws.Owner.GetAsync("/api/v1/kb/search?q=" + Uri.EscapeDataString($"walrus {count - 1} "))).ReadAsync<KbSearchResult[]>();
        Assert.Equal(ids[^1], Assert.Single(last).TranslationId);
    }

    private static Task<int> ArticleDocumentsAsync(TestWorkspace ws) => ws.DbAsync(db => db.SearchDocuments.CountAsync(d => d.Kind == SearchKinds.Article));

    /// <summary>Published articles written straight to the database, as before search existed: no search documents.</summary>
    private static Task<List<Guid>> LegacyArticlesAsync(TestWorkspace ws, int count, Func<int, string> title) => ws.DbAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var article = new KbArticle { CreatedAt = now, UpdatedAt = now };
            var translation = new KbTranslation { ArticleId = article.Id, Language = "en", Title = title(i), Markdown = "Legacy text.", State = KbState.Published, PublishedAt = now, UpdatedAt = now };
            db.KbArticles.Add(article);
            db.KbTranslations.Add(translation);
            ids.Add(translation.Id);
        }
        await db.SaveChangesAsync();
        return ids;
    });
}
