using Ateb.Features.Kb;
using Ateb.Features.Workspaces;

namespace Ateb.Tests.Features.Kb;

/// <summary>GET /api/v1/public/{workspaceSlug}/kb/suggestions: the chat widget's door to the same suggestions agents get.</summary>
public sealed class PublicSuggestionsTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Visitors_get_only_published_public_articles_of_that_workspace_with_their_help_center_address()
    {
        var acme = await app.CreateWorkspaceAsync();
        var host = await acme.SetHostAsync($"help-{Guid.NewGuid():N}.acme.test");
        var slug = (await (await acme.Owner.GetAsync("/api/v1/workspace")).ReadAsync<WorkspaceResponse>()).Slug;
        var other = await app.CreateWorkspaceAsync();
        var published = await acme.ArticleAsync("پیگیری مرسوله", "برای پیگیری مرسوله کد رهگیری را وارد کنید.", language: "fa");
        (await acme.Owner.PutAsJsonAsync($"/api/v1/kb/articles/{published.Id}/translations/en",
            new { title = "Tracking a parcel", markdown = "Enter the tracking code to follow your parcel.", publish = true })).EnsureSuccessStatusCode();
        var draft = await acme.ArticleAsync("مرسوله پیش‌نویس", "مرسوله رهگیری پیش‌نویس", publish: false, language: "fa");
        var staff = await acme.ArticleAsync("مرسوله داخلی", "مرسوله رهگیری فقط برای کارکنان", isInternal: true, language: "fa");
        var elsewhere = await other.ArticleAsync("مرسوله دیگر", "مرسوله رهگیری در فضای دیگر", language: "fa");
        var visitor = app.Visitor("localhost");
        var url = $"/api/v1/public/{slug}/kb/suggestions?lang=fa&text=" + Uri.EscapeDataString("سلام، مرسوله من کجاست؟ کد رهگيري دارم");

        // Agents' suggestions see the internal article once it is indexed; by then the public door is settled too.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var agents = await (await acme.Owner.GetAsync("/api/v1/kb/suggestions?lang=fa&text=" + Uri.EscapeDataString("مرسوله رهگیری"))).ReadAsync<KbSearchResult[]>();
            if (agents.Any(r => r.ArticleId == staff.Id) && agents.Any(r => r.ArticleId == published.Id))
            {
                break;
            }
            await Task.Delay(100);
        }
        var response = await visitor.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var suggestions = await response.ReadAsync<PublicKbSuggestion[]>();
        var only = Assert.Single(suggestions);
        Assert.Equal(published.Id, only.Id);
        Assert.Equal("پیگیری مرسوله", only.Title);
        Assert.Contains("<mark>", only.Snippet, StringComparison.Ordinal);
        Assert.Equal($"http://{host}/help/fa/articles/{published.Id}", only.Url);
        var json = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(draft.Id.ToString(), json, StringComparison.Ordinal);
        Assert.DoesNotContain(staff.Id.ToString(), json, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere.Id.ToString(), json, StringComparison.Ordinal);
        Assert.DoesNotContain("isInternal", json, StringComparison.Ordinal);

        // In English, the English translation and its address.
        var english = await (await visitor.GetAsync($"/api/v1/public/{slug}/kb/suggestions?lang=en&limit=3&text=where+is+my+parcel")).ReadAsync<PublicKbSuggestion[]>();
        Assert.Equal($"http://{host}/help/en/articles/{published.Id}", Assert.Single(english).Url);

        // Without a host name, a workspace that is not the default has no help-center address to give.
        var otherSlug = (await (await other.Owner.GetAsync("/api/v1/workspace")).ReadAsync<WorkspaceResponse>()).Slug;
        var noAddress = await (await visitor.GetAsync($"/api/v1/public/{otherSlug}/kb/suggestions?text=" + Uri.EscapeDataString("مرسوله رهگیری"))).ReadAsync<PublicKbSuggestion[]>();
        Assert.All(noAddress, s => Assert.Null(s.Url));
        Assert.DoesNotContain(noAddress, s => s.Id == published.Id);
    }

    [Fact]
    public async Task Bad_requests_are_problems_naming_the_field_and_unknown_workspaces_are_not_found()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = (await (await ws.Owner.GetAsync("/api/v1/workspace")).ReadAsync<WorkspaceResponse>()).Slug;
        var visitor = app.Visitor();
        var missing = await visitor.GetAsync("/api/v1/public/no-such-workspace/kb/suggestions?text=hello");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await missing.ProblemAsync()).GetProperty("status").GetInt32());
        foreach (var (query, field) in new[] { ("", "text"), ("text=hi&lang=not%20a%20tag", "lang"), ("text=hi&limit=50", "limit") })
        {
            var bad = await visitor.GetAsync($"/api/v1/public/{slug}/kb/suggestions?{query}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
            Assert.True((await bad.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), field);
        }
        // A signed-in agent of another workspace asking is a visitor like any other.
        var other = await app.CreateWorkspaceAsync();
        Assert.Equal(HttpStatusCode.OK, (await (await other.SignInAsync()).GetAsync($"/api/v1/public/{slug}/kb/suggestions?text=hello")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Owner.GetAsync($"/api/v1/public/{slug}/kb/suggestions?text=hello")).StatusCode);
    }
}

/// <summary>An app that allows three public reads a minute per address.</summary>
public sealed class PublicReadLimitedApp : AtebApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:PublicReadPerMinute"] = "3" };
}

public sealed class PublicSuggestionsLimitTests(PublicReadLimitedApp app) : IClassFixture<PublicReadLimitedApp>
{
    [Fact]
    public async Task Suggestions_are_rate_limited_per_address()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = (await (await ws.Owner.GetAsync("/api/v1/workspace")).ReadAsync<WorkspaceResponse>()).Slug;
        var visitor = app.Visitor();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/v1/public/{slug}/kb/suggestions?text=hello")).StatusCode);
        }
        var limited = await visitor.GetAsync($"/api/v1/public/{slug}/kb/suggestions?text=hello");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
    }
}
