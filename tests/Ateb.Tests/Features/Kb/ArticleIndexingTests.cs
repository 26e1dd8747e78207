using Ateb.Features.Kb;
using Ateb.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Kb;

/// <summary>The outbox's poll is an hour: whatever reaches search here came through a commit or a handler's wake-up.</summary>
public sealed class NoOutboxPollingApp : AtebApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Outbox:PollInterval"] = "01:00:00" };
}

/// <summary>
/// Knowledge-base changes reach search without waiting for a poll: a translation created published is indexed in its own
/// commit, and every other change (publish, unpublish, internal, delete) wakes the <c>search.index</c> job right after
/// its commit. With the poll at an hour, a broken wake-up leaves these searches unanswered until their deadline.
/// </summary>
public sealed class ArticleIndexingTests(NoOutboxPollingApp app) : IClassFixture<NoOutboxPollingApp>
{
    private static async Task<KbSearchResult[]> SearchAsync(TestWorkspace ws, string q) =>
        await (await ws.Owner.GetAsync("/api/v1/kb/search?q=" + Uri.EscapeDataString(q))).ReadAsync<KbSearchResult[]>();

    /// <summary>Until <paramref name="done"/> or 15 s (a deadline for a broken wake-up, not a speed check).</summary>
    private static async Task<KbSearchResult[]> SearchUntilAsync(TestWorkspace ws, string q, Func<KbSearchResult[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var results = await SearchAsync(ws, q);
            if (done(results) || DateTime.UtcNow > deadline)
            {
                return results;
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_translation_created_published_is_found_as_soon_as_its_save_returns()
    {
        var ws = await app.CreateWorkspaceAsync();
        var article = await ws.ArticleAsync("Pausing a subscription", "Choose Pause under Plans.");
        Assert.Equal(article.Id, Assert.Single(await SearchAsync(ws, "subscription ")).ArticleId);

        (await ws.Owner.PutAsJsonAsync($"/api/v1/kb/articles/{article.Id}/translations/cy",
            new { title = "Oedi tanysgrifiad", markdown = "Dewiswch Oedi o dan Cynlluniau.", publish = true })).EnsureSuccessStatusCode();
        var welsh = Assert.Single(await SearchAsync(ws, "tanysgrifiad "));
        Assert.Equal("cy", welsh.Language);

        // A draft has no document, and a draft created with an article is not found either.
        var draft = await ws.ArticleAsync("Closing an account", "Write to us.", publish: false);
        Assert.Empty(await SearchAsync(ws, "closing "));
        Assert.Equal(KbState.Draft, Assert.Single(draft.Translations).State);
    }

    /// <summary>The search document of a translation (its scope), or null; read until <paramref name="done"/> or 15 s.</summary>
    private static async Task<string?> ScopeUntilAsync(TestWorkspace ws, Guid translationId, Func<string?, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var scope = await ws.DbAsync(db => db.SearchDocuments.Where(d => d.Kind == SearchKinds.Article && d.EntityId == translationId)
                .Select(d => d.Scope).FirstOrDefaultAsync());
            if (done(scope) || DateTime.UtcNow > deadline)
            {
                return scope;
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Publishing_hiding_and_deleting_wake_the_indexer_without_a_poll()
    {
        var ws = await app.CreateWorkspaceAsync();
        var article = await ws.ArticleAsync("Gift cards", "Gift cards never expire.", publish: false);
        var translation = Assert.Single(article.Translations).Id;
        var url = $"/api/v1/kb/articles/{article.Id}/translations/en";
        Assert.Null(await ScopeUntilAsync(ws, translation, _ => true));

        (await ws.Owner.PutAsJsonAsync(url, new { title = "Gift cards", markdown = "Gift cards never expire.", publish = true })).EnsureSuccessStatusCode();
        Assert.Single(await SearchUntilAsync(ws, "gift ", r => r.Length > 0));

        (await ws.Owner.PatchAsJsonAsync($"/api/v1/kb/articles/{article.Id}", new { isInternal = true })).EnsureSuccessStatusCode();
        Assert.EndsWith(" internal", await ScopeUntilAsync(ws, translation, s => s?.EndsWith(" internal", StringComparison.Ordinal) == true), StringComparison.Ordinal);

        (await ws.Owner.PutAsJsonAsync(url, new { title = "Gift cards", markdown = "Gift cards never expire.", publish = false })).EnsureSuccessStatusCode();
        Assert.Null(await ScopeUntilAsync(ws, translation, s => s is null));

        (await ws.Owner.PutAsJsonAsync(url, new { title = "Gift vouchers", markdown = "Vouchers never expire.", publish = true })).EnsureSuccessStatusCode();
        Assert.Single(await SearchUntilAsync(ws, "vouchers ", r => r.Length > 0));

        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.DeleteAsync($"/api/v1/kb/articles/{article.Id}")).StatusCode);
        Assert.Null(await ScopeUntilAsync(ws, translation, s => s is null));
    }
}
