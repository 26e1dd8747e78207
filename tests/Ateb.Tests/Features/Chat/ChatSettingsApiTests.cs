using System.Text.Json;
using Ateb.Features.Agents;
using Ateb.Features.Chat;
using Ateb.Features.Teams;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Chat;

public sealed class ChatSettingsApiTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Defaults_are_made_on_first_read_and_a_put_replaces_them_normalized()
    {
        var ws = await app.CreateWorkspaceAsync();
        var defaults = await (await ws.Owner.GetAsync("/api/v1/chat/settings")).ReadAsync<ChatSettingsResponse>();
        Assert.True(defaults.Enabled);
        Assert.Equal(PreChatForm.Optional, defaults.PreChat);
        Assert.Equal((3, 10, 30), (defaults.MaxChatsPerAgent, defaults.MaxQueue, defaults.OfferSeconds));
        Assert.False(defaults.HasIdentitySecret);
        Assert.Equal(await ws.SlugAsync(), defaults.Workspace);
        Assert.Equal(1, await ws.CountAsync<ChatSettings>());

        var team = await (await ws.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Chat" })).ReadAsync<TeamResponse>();
        var saved = await ws.PutSettingsAsync(b =>
        {
            b["enabled"] = false;
            b["brandColor"] = "#AA3300";
            b["greetings"] = new Dictionary<string, string?> { ["FA-ir"] = "  سلام! چطور می‌توانیم کمک کنیم؟ ", ["en"] = "Hi there", ["cy"] = "" };
            b["allowedOrigins"] = new[] { "HTTPS://Shop.Example.COM:443/", "https://shop.example.com", "http://localhost:5173", "https://bücher.example", " " };
            b["preChat"] = "required";
            (b["maxChatsPerAgent"], b["maxQueue"], b["offerSeconds"]) = (20, 0, 600);
            b["teamId"] = team.Id;
            b["useBusinessHours"] = false;
        });
        Assert.False(saved.Enabled);
        Assert.Equal("#aa3300", saved.BrandColor);
        Assert.Equal(new Dictionary<string, string> { ["fa-IR"] = "سلام! چطور می‌توانیم کمک کنیم؟", ["en"] = "Hi there" }, saved.Greetings);
        Assert.Equal(["https://shop.example.com", "http://localhost:5173", "https://xn--bcher-kva.example"], saved.AllowedOrigins);
        Assert.Equal((PreChatForm.Required, 20, 0, 600, team.Id, false), (saved.PreChat, saved.MaxChatsPerAgent, saved.MaxQueue, saved.OfferSeconds, saved.TeamId, saved.UseBusinessHours));

        var read = await (await ws.Owner.GetAsync("/api/v1/chat/settings")).ReadAsync<ChatSettingsResponse>();
        Assert.Equal(JsonSerializer.Serialize(saved), JsonSerializer.Serialize(read));
        Assert.Equal(1, await ws.CountAsync<ChatSettings>());
        var audited = await ws.DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "chat-settings").Select(a => a.Field).ToListAsync());
        Assert.Equivalent(new[] { "enabled", "brandColor", "greetings", "allowedOrigins", "preChat", "maxChatsPerAgent", "maxQueue", "offerSeconds", "teamId", "useBusinessHours" }, audited);
    }

    public static TheoryData<string, string, int, string> BadBodies => new()
    {
        { "colour name", """{"brandColor":"red"}""", 422, "brandColor" },
        { "short colour", """{"brandColor":"#abc"}""", 422, "brandColor" },
        { "greeting language", """{"greetings":{"english!":"Hi"}}""", 422, "greetings.english!" },
        { "greeting too long", "{\"greetings\":{\"fa\":\"" + new string('a', 501) + "\"}}", 422, "greetings.fa" },
        { "greeting NUL", """{"greetings":{"en":"a\u0000b"}}""", 422, "greetings.en" },
        { "same language twice", """{"greetings":{"fa":"a","FA":"b"}}""", 422, "greetings.FA" },
        { "too many greetings", "{\"greetings\":{" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"x{(char)('a' + i % 26)}{(char)('a' + i / 26)}\":\"hi\"")) + "}}", 422, "greetings" },
        { "origin with a path", """{"allowedOrigins":["https://example.com/shop"]}""", 422, "allowedOrigins[0]" },
        { "wildcard origin", """{"allowedOrigins":["https://ok.example","https://*.example.com"]}""", 422, "allowedOrigins[1]" },
        { "not http", """{"allowedOrigins":["ftp://example.com"]}""", 422, "allowedOrigins[0]" },
        { "no scheme", """{"allowedOrigins":["example.com"]}""", 422, "allowedOrigins[0]" },
        { "user in origin", """{"allowedOrigins":["https://me@example.com"]}""", 422, "allowedOrigins[0]" },
        { "query in origin", """{"allowedOrigins":["https://example.com?x=1"]}""", 422, "allowedOrigins[0]" },
        { "51 origins", "{\"allowedOrigins\":[" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"https://s{i}.example\"")) + "]}", 422, "allowedOrigins" },
        { "unknown pre-chat", """{"preChat":"sometimes"}""", 400, "$.preChat" },
        { "no pre-chat", """{"preChat":null}""", 422, "preChat" },
        { "capacity 0", """{"maxChatsPerAgent":0}""", 422, "maxChatsPerAgent" },
        { "capacity 21", """{"maxChatsPerAgent":21}""", 422, "maxChatsPerAgent" },
        { "queue -1", """{"maxQueue":-1}""", 422, "maxQueue" },
        { "queue 501", """{"maxQueue":501}""", 422, "maxQueue" },
        { "offer 9 s", """{"offerSeconds":9}""", 422, "offerSeconds" },
        { "offer 601 s", """{"offerSeconds":601}""", 422, "offerSeconds" },
        { "offer text", """{"offerSeconds":"soon"}""", 400, "$.offerSeconds" },
        { "unknown team", """{"teamId":"0198a4f2-0000-7000-8000-000000000000"}""", 422, "teamId" },
        { "enabled missing", """{"enabled":null}""", 422, "enabled" },
        { "unknown field", """{"colour":"#000000"}""", 400, "$.colour" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_setting_is_a_problem_naming_the_field_and_changes_nothing(string @case, string patch, int status, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var body = ChatSettingsTesting.Body();
        foreach (var property in JsonDocument.Parse(patch).RootElement.EnumerateObject())
        {
            body[property.Name] = property.Value.Clone();
        }
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Put, "/api/v1/chat/settings", JsonSerializer.Serialize(body));
        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var problem = await response.ProblemAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{@case}: {problem}");
        var after = await (await ws.Owner.GetAsync("/api/v1/chat/settings")).ReadAsync<ChatSettingsResponse>();
        Assert.Equal(("#0f766e", 3, 10, 30), (after.BrandColor, after.MaxChatsPerAgent, after.MaxQueue, after.OfferSeconds));
        Assert.Empty(after.AllowedOrigins);
        Assert.Empty(after.Greetings);
    }

    [Fact]
    public async Task Another_workspaces_team_is_not_a_routing_team()
    {
        var ws = await app.CreateWorkspaceAsync();
        var other = await app.CreateWorkspaceAsync();
        var theirs = await (await other.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Theirs" })).ReadAsync<TeamResponse>();
        var response = await ws.Owner.PutAsJsonAsync("/api/v1/chat/settings", ChatSettingsTesting.Body(b => b["teamId"] = theirs.Id));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("teamId", out _));
    }

    [Fact]
    public async Task Only_admins_read_or_change_chat_settings()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, _) = await ws.AddAgentAsync(Role.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/chat/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutAsJsonAsync("/api/v1/chat/settings", ChatSettingsTesting.Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync("/api/v1/chat/settings/identity-secret", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/chat/settings")).StatusCode);
        var (admin, _) = await ws.AddAgentAsync(Role.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/chat/settings", ChatSettingsTesting.Body())).StatusCode);
    }

    [Fact]
    public async Task The_identity_secret_is_shown_once_stored_encrypted_and_rotating_it_retires_the_old_one()
    {
        var ws = await app.CreateWorkspaceAsync();
        var first = await (await ws.Owner.PostAsync("/api/v1/chat/settings/identity-secret", null)).ReadAsync<IdentitySecretResponse>();
        Assert.Matches("^[0-9a-f]{64}$", first.Secret);
        var settings = await ws.Owner.GetStringAsync("/api/v1/chat/settings");
        Assert.Contains("\"hasIdentitySecret\":true", settings, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Secret, settings, StringComparison.Ordinal);
        var stored = await ws.DbAsync(db => db.ChatSettings.Select(s => s.IdentitySecretProtected).FirstAsync());
        Assert.NotNull(stored);
        Assert.DoesNotContain(first.Secret, stored, StringComparison.Ordinal);

        var slug = await ws.SlugAsync();
        var visitor = app.CreateClient();
        var ok = await visitor.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { userId = "u-1", userHash = ChatSettingsTesting.Hmac(first.Secret, "u-1") });
        Assert.True((await ok.ReadAsync<VisitorToken>()).Verified);

        var second = await (await ws.Owner.PostAsync("/api/v1/chat/settings/identity-secret", null)).ReadAsync<IdentitySecretResponse>();
        Assert.NotEqual(first.Secret, second.Secret);
        var stale = await visitor.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { userId = "u-1", userHash = ChatSettingsTesting.Hmac(first.Secret, "u-1") });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        Assert.True((await stale.ProblemAsync()).GetProperty("errors").TryGetProperty("userHash", out _));
        var fresh = await visitor.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { userId = "u-1", userHash = ChatSettingsTesting.Hmac(second.Secret, "u-1") });
        Assert.True((await fresh.ReadAsync<VisitorToken>()).Verified);
        Assert.Equal(2, await ws.DbAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == "chat-settings" && a.Action.StartsWith("identity-secret"))));
    }
}
