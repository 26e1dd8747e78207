using System.Net.Http.Headers;
using System.Text.Json;
using Ateb.Features.Agents;
using Ateb.Features.Chat;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Chat;

public sealed class ChatWidgetEndpointsTests(AtebApp app) : IClassFixture<AtebApp>
{
    private async Task<JsonElement> WidgetAsync(string slug, string? lang = null, HttpClient? client = null)
    {
        var response = await (client ?? app.CreateClient()).GetAsync($"/api/v1/chat/{slug}/widget" + (lang is null ? "" : $"?lang={lang}"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static string State(JsonElement config) => config.GetProperty("availability").GetProperty("state").GetString()!;

    [Fact]
    public async Task The_widget_config_speaks_the_visitors_language_and_says_honestly_why_chat_is_closed()
    {
        var ws = await app.CreateWorkspaceAsync();
        await ws.Owner.PatchAsJsonAsync("/api/v1/workspace", new { languages = new[] { "en", "fa", "cy" } });
        await ws.PutSettingsAsync(b => (b["greetings"], b["brandColor"], b["preChat"]) =
            (new Dictionary<string, string> { ["en"] = "Hello", ["fa"] = "سلام" }, "#112233", "required"));
        var slug = await ws.SlugAsync();

        var persian = await WidgetAsync(slug, "fa-IR");
        Assert.Equal("fa", persian.GetProperty("language").GetString());
        Assert.Equal("سلام", persian.GetProperty("greeting").GetString());
        Assert.Equal("#112233", persian.GetProperty("brandColor").GetString());
        Assert.Equal("required", persian.GetProperty("preChat").GetString());
        Assert.Equal(["en", "fa", "cy"], persian.GetProperty("languages").EnumerateArray().Select(l => l.GetString()!));
        Assert.EndsWith("/help/fa", persian.GetProperty("helpCenterUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(Limits.AttachmentBytes, persian.GetProperty("maxFileBytes").GetInt64());
        // Welsh has no greeting of its own: the default language's. An unknown language gets the default.
        Assert.Equal(("cy", "Hello"), ((await WidgetAsync(slug, "cy")).GetProperty("language").GetString(), (await WidgetAsync(slug, "cy")).GetProperty("greeting").GetString()));
        Assert.Equal("en", (await WidgetAsync(slug, "de")).GetProperty("language").GetString());
        Assert.Equal("en", (await WidgetAsync(slug, "<script>")).GetProperty("language").GetString());

        Assert.Equal("noAgents", State(persian));
        await ws.OnlineAsync(ws.OwnerAgentId);
        Assert.Equal("open", State(await WidgetAsync(slug)));

        // Closed today and tomorrow by the workspace's hours (two days, so the test may cross midnight).
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await ws.Owner.PatchAsJsonAsync("/api/v1/workspace", new
        {
            businessHours = new { exceptions = new[] { new { date = today.ToString("yyyy-MM-dd"), closed = true }, new { date = today.AddDays(1).ToString("yyyy-MM-dd"), closed = true } } },
        });
        var closed = await WidgetAsync(slug);
        Assert.Equal("outsideHours", State(closed));
        var nextOpen = closed.GetProperty("availability").GetProperty("nextOpenAt").GetDateTimeOffset();
        Assert.True(nextOpen >= new DateTimeOffset(today.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), nextOpen.ToString("O"));
        await ws.PutSettingsAsync(b => b["useBusinessHours"] = false);
        Assert.Equal("open", State(await WidgetAsync(slug)));
        await ws.PutSettingsAsync(b => (b["useBusinessHours"], b["enabled"]) = (false, false));
        Assert.Equal("disabled", State(await WidgetAsync(slug)));
    }

    [Fact]
    public async Task Only_fresh_connections_of_available_agents_in_the_routing_team_count_and_a_full_queue_closes_chat()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = await ws.SlugAsync();
        var (_, stale) = await ws.AddAgentAsync(Role.Agent);
        await ws.OnlineAsync(stale, seenAgo: TimeSpan.FromMinutes(2));
        var (_, away) = await ws.AddAgentAsync(Role.Agent);
        await ws.OnlineAsync(away, available: false);
        var (_, light) = await ws.AddAgentAsync(Role.LightAgent);
        await ws.OnlineAsync(light);
        Assert.Equal("noAgents", State(await WidgetAsync(slug)));

        var (_, outsider) = await ws.AddAgentAsync(Role.Agent);
        await ws.OnlineAsync(outsider);
        Assert.Equal("open", State(await WidgetAsync(slug)));
        var team = await (await ws.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Chat" })).ReadAsync<Ateb.Features.Teams.TeamResponse>();
        await ws.PutSettingsAsync(b => b["teamId"] = team.Id);
        Assert.Equal("noAgents", State(await WidgetAsync(slug)));
        (await ws.Owner.PostAsJsonAsync($"/api/v1/teams/{team.Id}/members", new { agentId = outsider })).EnsureSuccessStatusCode();
        Assert.Equal("open", State(await WidgetAsync(slug)));

        // One seat: a chat held by the agent leaves room only in the queue; no queue means full.
        await ws.PutSettingsAsync(b => (b["teamId"], b["maxChatsPerAgent"], b["maxQueue"]) = (team.Id, 1, 0));
        await HoldChatAsync(ws, outsider, ChatState.Active);
        Assert.Equal("queueFull", State(await WidgetAsync(slug)));
        await ws.PutSettingsAsync(b => (b["teamId"], b["maxChatsPerAgent"], b["maxQueue"]) = (team.Id, 1, 1));
        Assert.Equal("open", State(await WidgetAsync(slug)));
        await HoldChatAsync(ws, null, ChatState.Queued);
        Assert.Equal("queueFull", State(await WidgetAsync(slug)));
        await ws.PutSettingsAsync(b => (b["teamId"], b["maxChatsPerAgent"], b["maxQueue"]) = (team.Id, 2, 1));
        Assert.Equal("open", State(await WidgetAsync(slug)));
    }

    private static async Task HoldChatAsync(TestWorkspace ws, Guid? agent, ChatState state)
    {
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Chat", requester = new { name = "Visitor" }, channel = "chat" }))
            .ReadAsync<TicketResponse>();
        await ws.DbAsync(async db =>
        {
            var customer = await db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.RequesterId).FirstAsync();
            var visitor = db.ChatVisitors.Add(new ChatVisitor { CustomerId = customer, CreatedAt = DateTimeOffset.UtcNow }).Entity;
            db.ChatConversations.Add(new ChatConversation
            {
                TicketId = ticket.Id, VisitorId = visitor.Id, State = state, AgentId = agent, QueuedAt = DateTimeOffset.UtcNow, CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task An_unknown_workspace_is_a_404_problem_on_every_visitor_door()
    {
        var client = app.CreateClient();
        foreach (var response in new[]
        {
            await client.GetAsync("/api/v1/chat/no-such-workspace/widget"),
            await client.PostAsJsonAsync("/api/v1/chat/no-such-workspace/visitors", new { }),
            await client.PostAsJsonAsync("/api/v1/chat/no-such-workspace/contact", new { email = "a@example.com", message = "Hi" }),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task An_anonymous_visitor_gets_a_customer_of_their_own_even_with_a_known_email()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = await ws.SlugAsync();
        var known = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "Real Person", emails = new[] { "real@example.com" } })).ReadAsync<CustomerResponse>();

        var token = await (await app.CreateClient().PostAsJsonAsync($"/api/v1/chat/{slug}/visitors",
            new { name = " Mallory ", email = "REAL@example.com", language = "fa" })).ReadAsync<VisitorToken>();
        Assert.False(token.Verified);
        Assert.True(token.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(50));
        var visitor = await ws.VisitorAsync(token.VisitorId);
        Assert.Equal(("Mallory", "REAL@example.com", "fa", false), (visitor.Name, visitor.Email, visitor.Language, visitor.Verified));
        Assert.NotEqual(known.Id, visitor.CustomerId);
        var identities = await ws.DbAsync(db => db.CustomerIdentities.Where(i => i.CustomerId == visitor.CustomerId).Select(i => new { i.Kind, i.Normalized }).ToListAsync());
        var identity = Assert.Single(identities);
        Assert.Equal((IdentityKind.ChatVisitor, token.VisitorId.ToString("N")), (identity.Kind, identity.Normalized));
        Assert.Equal("Mallory", await ws.DbAsync(db => db.Customers.Where(c => c.Id == visitor.CustomerId).Select(c => c.Name).FirstAsync()));
    }

    [Fact]
    public async Task A_verified_visitor_joins_the_customer_with_that_external_id_on_every_device()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = await ws.SlugAsync();
        var known = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new
        {
            name = "Shop customer 42", identities = new[] { new { kind = "external", value = "user-42" } },
        })).ReadAsync<CustomerResponse>();
        var secret = (await (await ws.Owner.PostAsync("/api/v1/chat/settings/identity-secret", null)).ReadAsync<IdentitySecretResponse>()).Secret;

        var laptop = await (await app.CreateClient().PostAsJsonAsync($"/api/v1/chat/{slug}/visitors",
            new { userId = "user-42", userHash = ChatSettingsTesting.Hmac(secret, "user-42"), name = "Sam" })).ReadAsync<VisitorToken>();
        Assert.True(laptop.Verified);
        var visitor = await ws.VisitorAsync(laptop.VisitorId);
        Assert.Equal((known.Id, "user-42", "Sam"), (visitor.CustomerId, visitor.ExternalUserId, visitor.Name));
        var phone = await (await app.CreateClient().PostAsJsonAsync($"/api/v1/chat/{slug}/visitors",
            new { userId = "user-42", userHash = ChatSettingsTesting.Hmac(secret, "user-42").ToUpperInvariant() })).ReadAsync<VisitorToken>();
        Assert.Equal(laptop.VisitorId, phone.VisitorId);

        // A user the shop vouches for who is not a customer yet becomes one with that identity.
        var newcomer = await (await app.CreateClient().PostAsJsonAsync($"/api/v1/chat/{slug}/visitors",
            new { userId = "user-43", userHash = ChatSettingsTesting.Hmac(secret, "user-43") })).ReadAsync<VisitorToken>();
        var customer = (await ws.VisitorAsync(newcomer.VisitorId)).CustomerId;
        Assert.NotEqual(known.Id, customer);
        Assert.True(await ws.DbAsync(db => db.CustomerIdentities.AnyAsync(i => i.CustomerId == customer && i.Kind == IdentityKind.External && i.Normalized == "user-43")));
    }

    public static TheoryData<string, string, string> BadVisitors => new()
    {
        { "wrong hash", """{"userId":"user-1","userHash":"00000000000000000000000000000000000000000000000000000000000000ff"}""", "userHash" },
        { "hash of another user", """{"userId":"user-1","userHash":"HASH-OF-user-2"}""", "userHash" },
        { "not hex", """{"userId":"user-1","userHash":"zz"}""", "userHash" },
        { "no hash", """{"userId":"user-1"}""", "userHash" },
        { "hash without user", """{"userHash":"HASH-OF-user-1"}""", "userId" },
        { "bad email", """{"email":"not an address"}""", "email" },
        { "bad language", """{"language":"klingon!"}""", "language" },
        { "long name", "{\"name\":\"" + new string('n', 201) + "\"}", "name" },
        { "long user id", "{\"userId\":\"" + new string('u', 255) + "\",\"userHash\":\"x\"}", "userId" },
    };

    [Theory]
    [MemberData(nameof(BadVisitors))]
    public async Task A_bad_visitor_request_is_a_problem_naming_the_field_and_makes_nobody(string @case, string body, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = await ws.SlugAsync();
        var secret = (await (await ws.Owner.PostAsync("/api/v1/chat/settings/identity-secret", null)).ReadAsync<IdentitySecretResponse>()).Secret;
        body = body.Replace("HASH-OF-user-2", ChatSettingsTesting.Hmac(secret, "user-2"), StringComparison.Ordinal).Replace("HASH-OF-user-1", ChatSettingsTesting.Hmac(secret, "user-1"), StringComparison.Ordinal);
        var response = await app.CreateClient().SendJsonAsync(HttpMethod.Post, $"/api/v1/chat/{slug}/visitors", body);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{@case}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), @case);
        Assert.Equal(0, await ws.CountAsync<ChatVisitor>());
    }

    [Fact]
    public async Task A_user_id_cannot_be_verified_before_the_workspace_has_a_secret()
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await app.CreateClient().PostAsJsonAsync($"/api/v1/chat/{await ws.SlugAsync()}/visitors", new { userId = "u", userHash = new string('0', 64) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty("userHash", out _));
    }

    [Fact]
    public async Task The_old_token_renews_the_same_visitor_only_in_its_own_workspace()
    {
        var ws = await app.CreateWorkspaceAsync();
        var other = await app.CreateWorkspaceAsync();
        var (slug, otherSlug) = (await ws.SlugAsync(), await other.SlugAsync());
        var first = await (await app.CreateClient().PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { name = "Ana" })).ReadAsync<VisitorToken>();

        var renewing = app.CreateClient();
        renewing.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first.Token);
        var renewed = await (await renewing.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { email = "ana@example.com" })).ReadAsync<VisitorToken>();
        Assert.Equal(first.VisitorId, renewed.VisitorId);
        Assert.NotEqual(first.Token, renewed.Token);
        Assert.Equal(("Ana", "ana@example.com"), ((await ws.VisitorAsync(first.VisitorId)).Name, (await ws.VisitorAsync(first.VisitorId)).Email));

        // The same token at another workspace, or a forged one, starts a new visitor there.
        var elsewhere = await (await renewing.PostAsJsonAsync($"/api/v1/chat/{otherSlug}/visitors", new { })).ReadAsync<VisitorToken>();
        Assert.NotEqual(first.VisitorId, elsewhere.VisitorId);
        Assert.Equal(1, await other.CountAsync<ChatVisitor>());
        var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first.Token[..^4] + "AAAA");
        Assert.NotEqual(first.VisitorId, (await (await forged.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { })).ReadAsync<VisitorToken>()).VisitorId);
    }

    [Fact]
    public async Task An_anonymous_visitor_who_signs_in_on_the_host_site_becomes_a_verified_visitor()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = await ws.SlugAsync();
        var secret = (await (await ws.Owner.PostAsync("/api/v1/chat/settings/identity-secret", null)).ReadAsync<IdentitySecretResponse>()).Secret;
        var anonymous = await (await app.CreateClient().PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { })).ReadAsync<VisitorToken>();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", anonymous.Token);
        var verified = await (await client.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new { userId = "u-9", userHash = ChatSettingsTesting.Hmac(secret, "u-9") })).ReadAsync<VisitorToken>();
        Assert.True(verified.Verified);
        Assert.NotEqual(anonymous.VisitorId, verified.VisitorId);
    }

    [Fact]
    public async Task The_offline_form_opens_an_email_ticket_so_the_reply_goes_out_by_mail()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = await ws.SlugAsync();
        var receipt = await (await app.CreateClient().PostAsJsonAsync($"/api/v1/chat/{slug}/contact",
            new { name = "Nasrin", email = "nasrin@example.com", subject = "Order", message = "Where is my order?", language = "fa" })).ReadAsync<ContactReceipt>();
        var ticket = await ws.DbAsync(db => db.Tickets.AsNoTracking().FirstAsync(t => t.Number == receipt.TicketNumber));
        Assert.Equal((Channel.Email, "Order"), (ticket.Channel, ticket.Subject));
        var requester = await ws.DbAsync(db => db.CustomerIdentities.Where(i => i.CustomerId == ticket.RequesterId).Select(i => i.Normalized).ToListAsync());
        Assert.Contains("nasrin@example.com", requester);
        Assert.Equal("Where is my order?", await ws.DbAsync(db => db.Messages.Where(m => m.TicketId == ticket.Id).Select(m => m.BodyText).FirstAsync()));
    }

    public static TheoryData<string, string> BadContacts => new()
    {
        { """{"email":"nope","message":"Hi"}""", "email" },
        { """{"message":"Hi"}""", "email" },
        { """{"email":"a@example.com"}""", "message" },
        { """{"email":"a@example.com","message":"   "}""", "message" },
        { "{\"email\":\"a@example.com\",\"message\":\"Hi\",\"subject\":\"" + new string('s', 501) + "\"}", "subject" },
        { """{"email":"a@example.com","message":"Hi","language":"??"}""", "language" },
    };

    [Theory]
    [MemberData(nameof(BadContacts))]
    public async Task A_bad_offline_form_is_a_problem_naming_the_field_and_opens_nothing(string body, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await app.CreateClient().SendJsonAsync(HttpMethod.Post, $"/api/v1/chat/{await ws.SlugAsync()}/contact", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await ws.CountAsync<Ticket>());
    }

    [Fact]
    public async Task A_signed_in_agent_of_another_workspace_still_reaches_this_workspaces_widget()
    {
        var ws = await app.CreateWorkspaceAsync();
        var agentElsewhere = await (await app.CreateWorkspaceAsync()).SignInAsync();
        var config = await WidgetAsync(await ws.SlugAsync(), client: agentElsewhere);
        Assert.Equal(await ws.SlugAsync(), config.GetProperty("workspace").GetString());
        var token = await (await agentElsewhere.PostAsJsonAsync($"/api/v1/chat/{await ws.SlugAsync()}/visitors", new { })).ReadAsync<VisitorToken>();
        Assert.Equal(1, await ws.CountAsync<ChatVisitor>());
        Assert.False(token.Verified);
    }
}
