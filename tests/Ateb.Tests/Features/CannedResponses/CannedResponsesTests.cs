using Ateb.Features.Agents;
using Ateb.Features.CannedResponses;
using Ateb.Features.Tickets;
using Ateb.Features.Workspaces;

namespace Ateb.Tests.Features.CannedResponses;

public sealed class CannedResponsesTests(AtebApp app) : IClassFixture<AtebApp>
{
    private static object Refund => new
    {
        title = "Refund on its way", shortcut = "/Refund", language = "fa",
        friendly = "سلام {{customer.first_name | دوست عزیز}}! بازپرداخت درخواست #{{ticket.number}} انجام شد. {{agent.first_name}}",
        formal = "{{customer.name}} گرامی، بازپرداخت درخواست شماره {{ticket.number}} انجام شد. با احترام، {{agent.name}}، {{workspace.name}}",
    };

    [Fact]
    public async Task A_response_renders_for_a_ticket_in_the_workspace_tone_and_counts_its_uses()
    {
        var ws = await app.CreateWorkspaceAsync("فروشگاه آتب");
        var created = await ws.Owner.PostAsJsonAsync("/api/v1/canned-responses", Refund);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var response = await created.ReadAsync<CannedResponseResponse>();
        Assert.Equal(("refund", "fa", 0), (response.Shortcut, response.Language, response.UseCount));
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "بازپرداخت", requester = new { name = "محمد رضایی", email = "m@example.ir" } }))
            .ReadAsync<TicketResponse>();
        var (agent, _) = await ws.AddAgentAsync(Role.LightAgent);

        var friendly = await (await agent.PostAsJsonAsync($"/api/v1/canned-responses/{response.Id}/render", new { ticketId = ticket.Id })).ReadAsync<RenderedCannedResponse>();
        Assert.Equal(ToneOfVoice.Friendly, friendly.Tone);
        Assert.Equal($"سلام محمد! بازپرداخت درخواست #{ticket.Number} انجام شد. Agent", friendly.Text);

        await ws.Owner.PatchAsJsonAsync("/api/v1/workspace", new { tone = "formal" });
        var formal = await (await agent.PostAsJsonAsync($"/api/v1/canned-responses/{response.Id}/render", new { ticketId = ticket.Id })).ReadAsync<RenderedCannedResponse>();
        Assert.Equal(ToneOfVoice.Formal, formal.Tone);
        Assert.Equal($"محمد رضایی گرامی، بازپرداخت درخواست شماره {ticket.Number} انجام شد. با احترام، Agent LightAgent، فروشگاه آتب", formal.Text);

        var chosen = await (await agent.PostAsJsonAsync($"/api/v1/canned-responses/{response.Id}/render", new { ticketId = ticket.Id, tone = "friendly" }))
            .ReadAsync<RenderedCannedResponse>();
        Assert.Equal(ToneOfVoice.Friendly, chosen.Tone);
        Assert.Equal(3, (await (await agent.GetAsync($"/api/v1/canned-responses/{response.Id}")).ReadAsync<CannedResponseResponse>()).UseCount);
    }

    [Fact]
    public async Task An_empty_wording_falls_back_to_the_other_and_a_missing_name_to_the_fallback()
    {
        var ws = await app.CreateWorkspaceAsync();
        var onlyFormal = await (await ws.Owner.PostAsJsonAsync("/api/v1/canned-responses", new { title = "Formal only", formal = "Dear {{customer.first_name | customer}}, #{{ticket.number}}" }))
            .ReadAsync<CannedResponseResponse>();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "x", requester = new { phone = "+442920180000" } })).ReadAsync<TicketResponse>();
        var rendered = await (await ws.Owner.PostAsJsonAsync($"/api/v1/canned-responses/{onlyFormal.Id}/render", new { ticketId = ticket.Id, tone = "friendly" }))
            .ReadAsync<RenderedCannedResponse>();
        Assert.Equal(new RenderedCannedResponse($"Dear customer, #{ticket.Number}", ToneOfVoice.Formal), rendered);
    }

    [Fact]
    public async Task Agents_edit_and_delete_light_agents_only_read_and_shortcuts_are_unique()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, agentId) = await ws.AddAgentAsync(Role.Agent);
        var (light, _) = await ws.AddAgentAsync(Role.LightAgent);
        var team = await (await ws.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Billing" })).ReadAsync<Ateb.Features.Teams.TeamResponse>();
        var created = await (await agent.PostAsJsonAsync("/api/v1/canned-responses", new { title = "Greeting", shortcut = "hi", friendly = "Hi!", teamId = team.Id }))
            .ReadAsync<CannedResponseResponse>();
        Assert.Equal((agentId, agentId, team.Id), (created.CreatedById, created.UpdatedById, created.TeamId));
        await agent.PostAsJsonAsync("/api/v1/canned-responses", new { title = "Welsh hello", friendly = "Shwmae {{customer.first_name}}", language = "cy" });
        await agent.PostAsJsonAsync("/api/v1/canned-responses", new { title = "Persian hello", friendly = "سلام", language = "fa-IR" });

        Assert.Equal(HttpStatusCode.Forbidden, (await light.PostAsJsonAsync("/api/v1/canned-responses", new { title = "x", friendly = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await light.PatchAsJsonAsync($"/api/v1/canned-responses/{created.Id}", new { title = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await light.DeleteAsync($"/api/v1/canned-responses/{created.Id}")).StatusCode);
        Assert.Equal(3, (await (await light.GetAsync("/api/v1/canned-responses")).ReadAsync<CannedResponseResponse[]>()).Length);
        Assert.Equal(["Greeting"], await TitlesAsync(light, "q=HI!"));
        Assert.Equal(["Welsh hello"], await TitlesAsync(light, "q=shwmae"));
        Assert.Equal(["Persian hello"], await TitlesAsync(light, "language=fa"));
        Assert.Equal(["Welsh hello"], await TitlesAsync(light, "language=CY"));
        Assert.Empty(await TitlesAsync(light, "q=100%25"));

        var clash = await agent.PostAsJsonAsync("/api/v1/canned-responses", new { title = "Other", shortcut = "HI", friendly = "Hey" });
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        var edited = await (await ws.Owner.PatchAsJsonAsync($"/api/v1/canned-responses/{created.Id}", new { formal = "Good day.", shortcut = (string?)null, teamId = (Guid?)null }))
            .ReadAsync<CannedResponseResponse>();
        Assert.Equal(("Hi!", "Good day.", null, null, ws.OwnerAgentId), (edited.Friendly, edited.Formal, edited.Shortcut, edited.TeamId, edited.UpdatedById));
        Assert.Equal(HttpStatusCode.Created, (await agent.PostAsJsonAsync("/api/v1/canned-responses", new { title = "Other", shortcut = "hi", friendly = "Hey" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync($"/api/v1/canned-responses/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await light.GetAsync($"/api/v1/canned-responses/{created.Id}")).StatusCode);
    }

    private static async Task<string[]> TitlesAsync(HttpClient client, string query) =>
        [.. (await (await client.GetAsync("/api/v1/canned-responses?" + query)).ReadAsync<CannedResponseResponse[]>()).Select(c => c.Title)];

    public static TheoryData<string, string, int, string, string?> BadBodies => new()
    {
        { "no title", """{"friendly":"x"}""", 422, "title", null },
        { "no wording", """{"title":"x"}""", 422, "friendly", null },
        { "blank wordings", """{"title":"x","friendly":" ","formal":""}""", 422, "formal", null },
        { "unknown placeholder", """{"title":"x","friendly":"Hi {{customer.firstname}}"}""", 422, "friendly", "{{customer.firstname}}" },
        { "unknown placeholder in formal", """{"title":"x","friendly":"Hi","formal":"Dear {{customer.title}} {{customer.name}}"}""", 422, "formal", "{{customer.title}}" },
        { "unclosed placeholder", """{"title":"x","friendly":"Hi {{customer.name"}""", 422, "friendly", "not closed" },
        { "shortcut with space", """{"title":"x","friendly":"y","shortcut":"two words"}""", 422, "shortcut", null },
        { "long shortcut", "{\"title\":\"x\",\"friendly\":\"y\",\"shortcut\":\"" + new string('s', 51) + "\"}", 422, "shortcut", null },
        { "bad language", """{"title":"x","friendly":"y","language":"persian!"}""", 422, "language", null },
        { "long text", "{\"title\":\"x\",\"friendly\":\"" + new string('y', 20_001) + "\"}", 422, "friendly", null },
        { "NUL in title", """{"title":"a\u0000b","friendly":"y"}""", 422, "title", null },
        { "unknown field", """{"title":"x","friendly":"y","html":"<b>"}""", 400, "$.html", null },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_response_is_a_problem_naming_the_field_and_saves_nothing(string @case, string body, int status, string field, string? mentions)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Post, "/api/v1/canned-responses", body);
        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var errors = (await response.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{@case}: {errors}");
        Assert.True(mentions is null || messages.ToString().Contains(mentions, StringComparison.Ordinal), $"{@case}: {messages}");
        Assert.Equal(0, await ws.CountAsync<CannedResponse>());
    }

    [Fact]
    public async Task Render_needs_a_ticket_of_this_workspace()
    {
        var ws = await app.CreateWorkspaceAsync();
        var canned = await (await ws.Owner.PostAsJsonAsync("/api/v1/canned-responses", new { title = "x", friendly = "y" })).ReadAsync<CannedResponseResponse>();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ws.Owner.PostAsJsonAsync($"/api/v1/canned-responses/{canned.Id}/render", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.PostAsJsonAsync($"/api/v1/canned-responses/{canned.Id}/render", new { ticketId = Guid.NewGuid() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ws.Owner.PostAsJsonAsync($"/api/v1/canned-responses/{canned.Id}/render", new { ticketId = Guid.NewGuid(), tone = "rude" })).StatusCode);
        Assert.Equal(0, (await (await ws.Owner.GetAsync($"/api/v1/canned-responses/{canned.Id}")).ReadAsync<CannedResponseResponse>()).UseCount);
    }
}
