using System.Net.Http.Headers;
using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Tokens;

public sealed class TokenTests(AtebApp app) : IClassFixture<AtebApp>
{
    private HttpClient With(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_token_is_random_shown_once_stored_hashed_and_bound_to_its_workspace()
    {
        var ws = await app.CreateWorkspaceAsync();
        var browser = await ws.SignInAsync();
        var created = await (await browser.PostAsJsonAsync("/api/v1/tokens", new { name = "zapier", expiresInDays = 30 })).ReadAsync<TokenResponse>();
        Assert.StartsWith("ateb_", created.Token, StringComparison.Ordinal);
        Assert.True(created.Token!.Length >= 5 + 43, "at least 256 bits of base64url");
        var stored = await ws.DbAsync(db => db.ApiTokens.SingleAsync(t => t.Id == created.Id));
        Assert.NotEqual(created.Token, stored.Hash);
        Assert.Equal(ApiToken.HashOf(created.Token), stored.Hash);
        var listed = await (await ws.Owner.GetAsync("/api/v1/tokens")).ReadAsync<TokenResponse[]>();
        Assert.All(listed, t => Assert.Null(t.Token));

        var me = await (await With(created.Token).GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>();
        Assert.Equal(ws.Id, me.WorkspaceId);
        Assert.NotNull((await ws.DbAsync(db => db.ApiTokens.SingleAsync(t => t.Id == created.Id))).LastUsedAt);

        var minted = await With(created.Token).PostAsJsonAsync("/api/v1/tokens", new { name = "child", expiresInDays = 3650 });
        Assert.Equal(HttpStatusCode.Forbidden, minted.StatusCode);
    }

    [Fact]
    public async Task Revoked_expired_malformed_and_unknown_tokens_get_401()
    {
        var ws = await app.CreateWorkspaceAsync();
        var browser = await ws.SignInAsync();
        var created = await (await browser.PostAsJsonAsync("/api/v1/tokens", new { name = "short-lived" })).ReadAsync<TokenResponse>();
        var client = With(created.Token!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tickets")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.DeleteAsync($"/api/v1/tokens/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/tickets")).StatusCode);

        var expiring = await (await browser.PostAsJsonAsync("/api/v1/tokens", new { name = "expired" })).ReadAsync<TokenResponse>();
        await ws.DbAsync(db => db.ApiTokens.Where(t => t.Id == expiring.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.Equal(HttpStatusCode.Unauthorized, (await With(expiring.Token!).GetAsync("/api/v1/tickets")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await With("ateb_" + new string('A', 43)).GetAsync("/api/v1/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await With("nonsense").GetAsync("/api/v1/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await With("ateb_" + new string('x', 5000)).GetAsync("/api/v1/tickets")).StatusCode);
    }

    [Fact]
    public async Task A_deactivated_agent_loses_access_at_once_and_a_downgraded_one_loses_rights()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (client, agentId) = await ws.AddAgentAsync(Role.Agent);
        var ticket = await (await client.PostAsJsonAsync("/api/v1/tickets", new { subject = "x", requester = new { name = "A" } })).ReadAsync<TicketResponse>();
        await ws.Owner.PatchAsJsonAsync($"/api/v1/agents/{agentId}", new { role = "light_agent" });
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "solved" })).StatusCode);
        await ws.Owner.PatchAsJsonAsync($"/api/v1/agents/{agentId}", new { active = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/tickets")).StatusCode);
    }

    [Fact]
    public async Task Token_expiry_is_validated()
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await (await ws.SignInAsync()).PostAsJsonAsync("/api/v1/tokens", new { name = "forever", expiresInDays = 100_000 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("expiresInDays", out _));
    }

    [Fact]
    public async Task Agents_manage_their_own_tokens_and_admins_those_of_people_not_above_them()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, _) = await ws.AddAgentAsync(Role.Agent);
        var (admin, _) = await ws.AddAgentAsync(Role.Admin);
        var ownerToken = await (await (await ws.SignInAsync()).PostAsJsonAsync("/api/v1/tokens", new { name = "owner's" })).ReadAsync<TokenResponse>();
        Assert.Equal(HttpStatusCode.NotFound, (await agent.DeleteAsync($"/api/v1/tokens/{ownerToken.Id}")).StatusCode);
        Assert.DoesNotContain(await (await agent.GetAsync("/api/v1/tokens")).ReadAsync<TokenResponse[]>(), t => t.Id == ownerToken.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/tokens/{ownerToken.Id}")).StatusCode);
        var agentTokens = await ws.DbAsync(db => db.ApiTokens.Where(t => t.Name == "test token").Select(t => t.Id).ToListAsync());
        var visible = await (await admin.GetAsync("/api/v1/tokens")).ReadAsync<TokenResponse[]>();
        Assert.DoesNotContain(visible, t => t.Id == ownerToken.Id);
        Assert.True(visible.Length >= 2);
        Assert.Contains(await (await ws.Owner.GetAsync("/api/v1/tokens")).ReadAsync<TokenResponse[]>(), t => t.Id == ownerToken.Id);
        Assert.NotEmpty(agentTokens);
    }
}

public sealed class RateLimitedApp : AtebApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:AuthPerMinute"] = "5" };
}

public sealed class SignInTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Login_sets_a_cookie_that_works_and_wrong_passwords_look_like_unknown_emails()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (_, agentId) = await ws.AddAgentAsync(Role.Agent);
        var email = (await (await ws.Owner.GetAsync($"/api/v1/agents/{agentId}")).ReadAsync<AgentResponse>()).Email;
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var wrong = await browser.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "nope-nope" });
        for (var i = 0; i < 5; i++)
        {
            await browser.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "nope-nope" });
        }
        var unknown = await browser.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@example.com", password = "nope-nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal((await wrong.ProblemAsync()).GetProperty("title").GetString(), (await unknown.ProblemAsync()).GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "agent-password-1" })).StatusCode);
        var me = await (await browser.GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>();
        Assert.Equal(agentId, me.AgentId);
    }

}

/// <summary>Alone with its own low limit: the limiter partitions by client address, which every test client shares.</summary>
public sealed class SignInRateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Login_is_rate_limited_with_retry_after()
    {
        var client = app.CreateClient();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 8; i++)
        {
            last = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "brute@example.com", password = "guess-" + i });
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter is not null);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
    }
}
