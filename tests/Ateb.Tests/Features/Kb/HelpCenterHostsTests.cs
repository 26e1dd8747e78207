using Ateb.Features.Kb;
using Ateb.Features.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Kb;

/// <summary>Each workspace's help center on its own host name; every other name serves the default (first) workspace.</summary>
public sealed class HelpCenterHostsTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Each_host_serves_its_own_workspace_and_nothing_leaks_between_them()
    {
        var first = await app.CreateWorkspaceAsync("First Desk");
        var bravo = await app.CreateWorkspaceAsync("Bravo Desk");
        var charlie = await app.CreateWorkspaceAsync("Charlie Desk");
        // The default is the first workspace set up, whichever test of this class ran first.
        var defaultId = await app.WithRawDbAsync(db => db.Workspaces.OrderBy(w => w.CreatedAt).Select(w => w.Id).FirstAsync());
        var defaultDesk = new[] { first, bravo, charlie }.FirstOrDefault(w => w.Id == defaultId);
        Assert.NotEqual(bravo.Id, defaultId);

        var saved = await (await bravo.Owner.PatchAsJsonAsync("/api/v1/workspace", new { helpCenterHost = " Help.Bravo.TEST. " })).ReadAsync<WorkspaceResponse>();
        Assert.Equal("help.bravo.test", saved.HelpCenterHost);
        await charlie.SetHostAsync("help.charlie.test");

        var alpha = await first.ArticleAsync("Alpha answers the door", "Alpha text about parcels.");
        var bravoPublic = await bravo.ArticleAsync("Bravo answers the door", "Bravo text about parcels.");
        var bravoFa = await (await bravo.Owner.PutAsJsonAsync($"/api/v1/kb/articles/{bravoPublic.Id}/translations/fa",
            new { title = "براوو پاسخ می‌دهد", markdown = "متن براوو", publish = true })).ReadAsync<KbArticleResponse>();
        var bravoDraft = await bravo.ArticleAsync("Bravo secret draft", "Draft parcels.", publish: false);
        var bravoInternal = await bravo.ArticleAsync("Bravo staff only", "Internal parcels.", isInternal: true);

        var atBravo = app.Visitor("help.bravo.test");
        var home = await atBravo.GetStringAsync("/help/en");
        Assert.Contains("Bravo Desk", home, StringComparison.Ordinal);
        Assert.Contains("Bravo answers the door", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Alpha", home, StringComparison.Ordinal);
        Assert.DoesNotContain("secret draft", home, StringComparison.Ordinal);
        Assert.DoesNotContain("staff only", home, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"canonical\" href=\"http://help.bravo.test/help/en\">", home, StringComparison.Ordinal);
        Assert.Contains("hreflang=\"fa\" href=\"http://help.bravo.test/help/fa\"", home, StringComparison.Ordinal);
        var page = await atBravo.GetStringAsync($"/help/en/articles/{bravoPublic.Id}");
        Assert.Contains($"<link rel=\"canonical\" href=\"http://help.bravo.test/help/en/articles/{bravoPublic.Id}\">", page, StringComparison.Ordinal);
        Assert.Contains($"hreflang=\"fa\" href=\"http://help.bravo.test/help/fa/articles/{bravoFa.Id}\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await atBravo.GetAsync($"/help/en/articles/{alpha.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await atBravo.GetAsync($"/help/en/articles/{bravoDraft.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await atBravo.GetAsync($"/help/en/articles/{bravoInternal.Id}")).StatusCode);
        var sitemap = await atBravo.GetStringAsync("/sitemap.xml");
        Assert.Contains($"<loc>http://help.bravo.test/help/en/articles/{bravoPublic.Id}</loc>", sitemap, StringComparison.Ordinal);
        Assert.Contains($"href=\"http://help.bravo.test/help/fa/articles/{bravoPublic.Id}\"", sitemap, StringComparison.Ordinal);
        Assert.DoesNotContain(alpha.Id.ToString(), sitemap, StringComparison.Ordinal);
        Assert.DoesNotContain(bravoDraft.Id.ToString(), sitemap, StringComparison.Ordinal);
        Assert.DoesNotContain(bravoInternal.Id.ToString(), sitemap, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await atBravo.GetAsync("/help")).StatusCode);

        // Search on a host finds that workspace's public articles only.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string found;
        do
        {
            found = await atBravo.GetStringAsync("/help/en/search?q=parcels");
        }
        while (!found.Contains(bravoPublic.Id.ToString(), StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Delay());
        Assert.Contains(bravoPublic.Id.ToString(), found, StringComparison.Ordinal);
        Assert.DoesNotContain(alpha.Id.ToString(), found, StringComparison.Ordinal);
        Assert.DoesNotContain(bravoDraft.Id.ToString(), found, StringComparison.Ordinal);
        Assert.DoesNotContain(bravoInternal.Id.ToString(), found, StringComparison.Ordinal);
        Assert.DoesNotContain(alpha.Id.ToString(), await atBravo.GetStringAsync("/help/en/search.json?q=Alph"), StringComparison.Ordinal);

        // Charlie has a host and no articles; its help center shows none of Bravo's.
        Assert.DoesNotContain("Bravo", await app.Visitor("help.charlie.test").GetStringAsync("/help/en"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Visitor("help.charlie.test").GetAsync($"/help/en/articles/{bravoPublic.Id}")).StatusCode);

        // Any other host name is the default workspace's help center.
        foreach (var host in new[] { "localhost", "www.unknown.test" })
        {
            var other = app.Visitor(host);
            var defaultHome = await other.GetStringAsync("/help/en");
            Assert.DoesNotContain("Bravo", defaultHome, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/help/en/articles/{bravoPublic.Id}")).StatusCode);
            Assert.DoesNotContain(bravoPublic.Id.ToString(), await other.GetStringAsync("/sitemap.xml"), StringComparison.Ordinal);
            if (defaultDesk == first)
            {
                Assert.Contains($"<loc>http://{host}/help/en/articles/{alpha.Id}</loc>", await other.GetStringAsync("/sitemap.xml"), StringComparison.Ordinal);
            }
        }

        // An agent signed in to Bravo reading the default help center is just a visitor there.
        var signedIn = await bravo.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/help/en")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await signedIn.GetAsync($"/help/en/articles/{bravoPublic.Id}")).StatusCode);

        // A removed host name no longer answers for Bravo.
        await bravo.SetHostAsync("");
        Assert.DoesNotContain("Bravo answers", await atBravo.GetStringAsync("/help/en"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://help.example.com")]
    [InlineData("help.example.com:8080")]
    [InlineData("help.example.com/help")]
    [InlineData("localhost")]
    [InlineData("192.168.1.10")]
    [InlineData("help_desk.example.com")]
    [InlineData("-help.example.com")]
    public async Task A_help_center_host_must_be_a_plain_host_name(string host)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.PatchAsJsonAsync("/api/v1/workspace", new { helpCenterHost = host });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("helpCenterHost", out _));
    }

    [Fact]
    public async Task A_host_name_belongs_to_one_workspace_and_international_names_are_stored_as_browsers_send_them()
    {
        var one = await app.CreateWorkspaceAsync();
        var two = await app.CreateWorkspaceAsync();
        await one.SetHostAsync("help.shared.test");
        var taken = await two.Owner.PatchAsJsonAsync("/api/v1/workspace", new { helpCenterHost = "HELP.shared.test" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Contains("another workspace", (await taken.ProblemAsync()).GetProperty("errors").GetProperty("helpCenterHost")[0].GetString(), StringComparison.Ordinal);
        var idn = await (await two.Owner.PatchAsJsonAsync("/api/v1/workspace", new { helpCenterHost = "راهنما.example" })).ReadAsync<WorkspaceResponse>();
        Assert.StartsWith("xn--", idn.HelpCenterHost, StringComparison.Ordinal);
        // Saving other settings leaves the host alone; an empty string removes it.
        var renamed = await (await two.Owner.PatchAsJsonAsync("/api/v1/workspace", new { name = "Two" })).ReadAsync<WorkspaceResponse>();
        Assert.Equal(idn.HelpCenterHost, renamed.HelpCenterHost);
        Assert.Null((await (await two.Owner.PatchAsJsonAsync("/api/v1/workspace", new { helpCenterHost = "" })).ReadAsync<WorkspaceResponse>()).HelpCenterHost);
        var (agent, _) = await one.AddAgentAsync(Ateb.Features.Agents.Role.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PatchAsJsonAsync("/api/v1/workspace", new { helpCenterHost = "x.example.com" })).StatusCode);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }
}
