namespace Ateb.Tests.Features.Chat;

public sealed class ChatRateLimitedApp : AtebApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:ChatPerMinute"] = "3", ["RateLimits:PublicPerMinute"] = "2",
    };
}

public sealed class ChatRateLimitTests(ChatRateLimitedApp app) : IClassFixture<ChatRateLimitedApp>
{
    [Fact]
    public async Task The_widgets_doors_are_rate_limited_per_address_with_a_problem_and_retry_after()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = await ws.SlugAsync();
        var client = app.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            answers.Add((await client.GetAsync($"/api/v1/chat/{slug}/widget")).StatusCode);
        }
        answers.Add((await client.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { })).StatusCode);
        var limited = await client.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { });
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal(429, (await limited.ProblemAsync()).GetProperty("status").GetInt32());
        Assert.Equal(1, await ws.CountAsync<Ateb.Features.Chat.ChatVisitor>());

        var contact = new { email = "a@example.com", message = "Hi" };
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/chat/{slug}/contact", contact)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/chat/{slug}/contact", contact)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync($"/api/v1/chat/{slug}/contact", contact)).StatusCode);
    }
}
