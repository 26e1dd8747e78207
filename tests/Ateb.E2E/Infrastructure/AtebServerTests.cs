namespace Ateb.E2E.Infrastructure;

/// <summary>The fixtures themselves: what later browser tests count on.</summary>
public sealed class AtebServerTests(AtebServerFixture server, BrowserFixture browser) : BrowserTest(server, browser)
{
    [Fact]
    public async Task The_shared_server_serves_the_agent_workspace_static_assets()
    {
        using var client = Server.CreateClient();
        var script = await client.GetStringAsync("/_framework/blazor.web.js");
        Assert.True(script.Length > 10_000, $"/_framework/blazor.web.js has {script.Length} characters");
        Assert.NotEmpty(await client.GetStringAsync("/app.css"));
    }

    [Fact]
    public async Task A_second_process_on_the_same_database_serves_the_same_workspace()
    {
        var data = await HelpCenter.HelpCenterData.EnsureAsync(Server);
        await using var second = await Server.StartAnotherAsync(new AtebServerOptions
        {
            Name = "second", Demo = false, Environment = new Dictionary<string, string> { ["Search__Backfill"] = "false" },
        });
        Assert.NotEqual(Server.Port, second.Port);

        var page = await NewPageAsync(on: second);
        await page.GotoAsync($"/help/en/articles/{data.Tracking}");
        await Expect(page.Locator("article h1")).ToHaveTextAsync(HelpCenter.HelpCenterData.TrackingEn);
        Assert.StartsWith(second.BaseAddress.ToString(), page.Url, StringComparison.Ordinal);
    }
}
