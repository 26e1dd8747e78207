using System.Collections.Concurrent;
using Ateb.Features.Email;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Email;

/// <summary>Ateb allowed to reach a token endpoint on loopback (the fake provider below).</summary>
public sealed class OAuthApp : AtebApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Email:AllowPrivateTokenEndpoint"] = "true" };
}

/// <summary>OAuth2 mailboxes (XOAUTH2): the access token is renewed from the provider's token endpoint with the refresh token.</summary>
public sealed class MailCredentialsTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    [Fact]
    public async Task An_expired_or_refused_access_token_is_renewed_with_the_refresh_token_and_kept_encrypted()
    {
        await using var provider = await FakeTokenEndpoint.StartAsync();
        var ws = await app.CreateWorkspaceAsync();
        var mailbox = await ws.CreateMailboxAsync("help@oauth.example", new
        {
            imap = new { host = "imap.oauth.example", port = 993, user = "help@oauth.example", auth = "oAuth2", secret = "old-token" },
            oAuth = new { tokenEndpoint = provider.Url, clientId = "ateb-client", clientSecret = "client-secret", refreshToken = "refresh-1" },
        });
        Assert.True(mailbox.OAuth.HasRefreshToken);

        Assert.Equal("token-1", await SecretAsync(ws, mailbox.Id, refused: false));
        var request = Assert.Single(provider.Requests);
        Assert.Equal("refresh_token", request["grant_type"]);
        Assert.Equal("refresh-1", request["refresh_token"]);
        Assert.Equal("ateb-client", request["client_id"]);
        Assert.Equal("client-secret", request["client_secret"]);

        // Still fresh: no second trip to the provider.
        Assert.Equal("token-1", await SecretAsync(ws, mailbox.Id, refused: false));
        Assert.Single(provider.Requests);

        // Refused by the server: renewed at once, and the provider's rotated refresh token is the one used next.
        Assert.Equal("token-2", await SecretAsync(ws, mailbox.Id, refused: true));
        Assert.Equal("token-3", await SecretAsync(ws, mailbox.Id, refused: true));
        Assert.Equal("refresh-2", provider.Requests.Last()["refresh_token"]);

        var stored = await ws.DbAsync(db => db.Mailboxes.AsNoTracking().SingleAsync());
        Assert.DoesNotContain("token-3", stored.ImapSecretProtected, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh", stored.OAuthRefreshTokenProtected, StringComparison.Ordinal);
        Assert.NotNull((await (await ws.Owner.GetAsync($"/api/v1/mailboxes/{mailbox.Id}")).ReadAsync<MailboxResponse>()).OAuth.AccessTokenExpiresAt);
    }

    [Fact]
    public async Task A_refused_refresh_is_a_clear_error_and_bad_settings_are_refused()
    {
        await using var provider = await FakeTokenEndpoint.StartAsync(fail: true);
        var ws = await app.CreateWorkspaceAsync();
        var mailbox = await ws.CreateMailboxAsync("help@oauth.example", new
        {
            smtp = new { host = "smtp.oauth.example", user = "help@oauth.example", auth = "oAuth2", secret = "old" },
            oAuth = new { tokenEndpoint = provider.Url, clientId = "c", refreshToken = "revoked" },
        });
        var error = await Assert.ThrowsAsync<MailAuthenticationException>(() => SecretAsync(ws, mailbox.Id, refused: true, smtp: true));
        Assert.Contains("invalid_grant", error.Message, StringComparison.Ordinal);

        var bad = await ws.Owner.PostAsJsonAsync("/api/v1/mailboxes", new { name = "x", address = "x@oauth.example", oAuth = new { tokenEndpoint = "ftp://token.example/x" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True((await bad.ProblemAsync()).GetProperty("errors").TryGetProperty("oAuth.tokenEndpoint", out _));
    }

    private Task<string> SecretAsync(TestWorkspace ws, Guid mailboxId, bool refused, bool smtp = false) => ws.DbAsync(async db =>
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Ateb.Infrastructure.Data.WorkspaceScope>().Enter(ws.Id);
        var scoped = scope.ServiceProvider.GetRequiredService<Ateb.Infrastructure.Data.AtebDb>();
        var mailbox = await scoped.Mailboxes.AsNoTracking().SingleAsync(m => m.Id == mailboxId);
        return await scope.ServiceProvider.GetRequiredService<MailCredentials>().SecretAsync(mailbox, smtp, refused, CancellationToken.None);
    });

    /// <summary>An OAuth2 token endpoint (RFC 6749 section 6) on 127.0.0.1 that hands out numbered tokens and rotates the refresh token.</summary>
    private sealed class FakeTokenEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeTokenEndpoint(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentQueue<Dictionary<string, string>> Requests { get; } = new();

        public static async Task<FakeTokenEndpoint> StartAsync(bool fail = false)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            FakeTokenEndpoint? self = null;
            app.MapPost("/token", async (HttpRequest request) =>
            {
                var form = await request.ReadFormAsync();
                self!.Requests.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
                if (fail)
                {
                    return Results.Json(new { error = "invalid_grant", error_description = "Token has been revoked." }, statusCode: 400);
                }
                var n = self.Requests.Count;
                return Results.Json(new Dictionary<string, object> { ["access_token"] = $"token-{n}", ["expires_in"] = 3600, ["token_type"] = "Bearer", ["refresh_token"] = $"refresh-{n}" });
            });
            await app.StartAsync();
            self = new FakeTokenEndpoint(app, app.Urls.First() + "/token");
            return self;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
