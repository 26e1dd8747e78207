using Ateb.Features.Chat;

namespace Ateb.Tests.Features.Chat;

/// <summary>The widget's cross-origin calls: each workspace's allowed origins (and Ateb's own) and nobody else's.</summary>
public sealed class ChatCorsTests(AtebApp app) : IClassFixture<AtebApp>
{
    private const string Shop = "https://shop.example";

    private async Task<(TestWorkspace Ws, string Slug)> WorkspaceAllowingAsync(params string[] origins)
    {
        var ws = await app.CreateWorkspaceAsync();
        await ws.PutSettingsAsync(b => b["allowedOrigins"] = origins);
        return (ws, await ws.SlugAsync());
    }

    private Task<HttpResponseMessage> PreflightAsync(string url, string origin, string method = "POST")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return app.CreateClient().SendAsync(request);
    }

    private Task<HttpResponseMessage> GetFromAsync(string url, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Origin", origin);
        return app.CreateClient().SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task An_allowed_origin_gets_a_cached_preflight_without_credentials_and_the_answer_it_may_read()
    {
        var (_, slug) = await WorkspaceAllowingAsync("https://SHOP.example:443");
        var preflight = await PreflightAsync($"/api/v1/chat/{slug}/visitors", Shop);
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Shop, Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("authorization", Header(preflight, "Access-Control-Allow-Headers")!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("POST", Header(preflight, "Access-Control-Allow-Methods")!, StringComparison.Ordinal);
        Assert.Equal("600", Header(preflight, "Access-Control-Max-Age"));
        Assert.Null(Header(preflight, "Access-Control-Allow-Credentials"));

        var get = await GetFromAsync($"/api/v1/chat/{slug}/widget", Shop);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(Shop, Header(get, "Access-Control-Allow-Origin"));
        Assert.Contains("retry-after", Header(get, "Access-Control-Expose-Headers")!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Another_origin_gets_no_headers_and_its_calls_are_refused()
    {
        var (ws, slug) = await WorkspaceAllowingAsync(Shop);
        foreach (var stranger in new[] { "https://evil.example", "http://shop.example", "https://shop.example:8443", "https://sub.shop.example", "null" })
        {
            var preflight = await PreflightAsync($"/api/v1/chat/{slug}/visitors", stranger);
            Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
            var get = await GetFromAsync($"/api/v1/chat/{slug}/widget", stranger);
            Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
            Assert.Null(Header(get, "Access-Control-Allow-Origin"));
        }
        var post = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/chat/{slug}/visitors") { Content = JsonContent.Create(new { }) };
        post.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClient().SendAsync(post)).StatusCode);
        Assert.Equal(0, await ws.CountAsync<ChatVisitor>());
    }

    [Fact]
    public async Task An_origin_allowed_by_another_workspace_is_not_allowed_here()
    {
        var (_, mine) = await WorkspaceAllowingAsync(Shop);
        var (_, theirs) = await WorkspaceAllowingAsync("https://other-shop.example");
        Assert.Null(Header(await PreflightAsync($"/api/v1/chat/{mine}/visitors", "https://other-shop.example"), "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetFromAsync($"/api/v1/chat/{mine}/widget", "https://other-shop.example")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetFromAsync($"/api/v1/chat/{theirs}/widget", Shop)).StatusCode);
    }

    [Fact]
    public async Task Atebs_own_origin_is_always_allowed()
    {
        var (_, slug) = await WorkspaceAllowingAsync();
        var get = await GetFromAsync($"/api/v1/chat/{slug}/widget", "http://localhost");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("http://localhost", Header(get, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_visitor_hubs_negotiate_and_the_public_kb_doors_share_the_policy()
    {
        var (_, slug) = await WorkspaceAllowingAsync(Shop);
        var negotiate = await PreflightAsync($"/hubs/chat/negotiate?workspace={slug}&negotiateVersion=1", Shop);
        Assert.Equal(Shop, Header(negotiate, "Access-Control-Allow-Origin"));
        Assert.Null(Header(await PreflightAsync($"/hubs/chat/negotiate?workspace={slug}", "https://evil.example"), "Access-Control-Allow-Origin"));
        Assert.Null(Header(await PreflightAsync("/hubs/chat/negotiate", Shop), "Access-Control-Allow-Origin"));
        Assert.Equal(Shop, Header(await PreflightAsync($"/api/v1/public/{slug}/kb/suggestions?text=x", Shop, "GET"), "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Signed_in_endpoints_never_answer_cross_origin()
    {
        var (ws, _) = await WorkspaceAllowingAsync(Shop);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/chat/settings");
        request.Headers.Add("Origin", Shop);
        var response = await ws.Owner.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }
}
