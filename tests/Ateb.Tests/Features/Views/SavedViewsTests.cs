using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Features.Views;

namespace Ateb.Tests.Features.Views;

public sealed class SavedViewsTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task A_saved_view_opens_the_same_list_as_its_query()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, agentId) = await ws.AddAgentAsync(Role.Agent);
        foreach (var (subject, priority, tag) in new[] { ("a", "urgent", "vip"), ("b", "low", "vip"), ("c", "urgent", "other"), ("d", "high", "vip") })
        {
            await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject, requester = new { name = "C" }, priority, tags = new[] { tag }, assigneeId = agentId });
        }
        var created = await agent.PostAsJsonAsync("/api/v1/views/saved", new
        {
            name = "My VIPs, urgent first", filters = new { status = "new,open", assignee = "me", tag = "VIP", priority = "" }, sort = "priority",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.ReadAsync<SavedViewResponse>();
        Assert.Equal("status=new,open&assignee=me&tag=VIP&sort=priority", view.Query);
        Assert.Null(view.Filters.Priority);
        Assert.True(view.Mine);
        Assert.False(view.Shared);
        Assert.Equal(TicketSort.Priority, view.Sort);

        var list = await (await agent.GetAsync("/api/v1/tickets?" + view.Query)).ReadAsync<TicketPage>();
        Assert.Equal(["a", "d", "b"], list.Items.Select(t => t.Subject));
        Assert.Equal(created.Headers.Location!.ToString(), $"/api/v1/views/saved/{view.Id}");
        Assert.Equal(Untimed(view), Untimed(await (await agent.GetAsync($"/api/v1/views/saved/{view.Id}")).ReadAsync<SavedViewResponse>()));
    }

    [Fact]
    public async Task Agents_see_their_own_views_and_shared_ones_and_only_admins_share()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (alice, _) = await ws.AddAgentAsync(Role.Agent);
        var (bob, _) = await ws.AddAgentAsync(Role.LightAgent);
        var (admin, _) = await ws.AddAgentAsync(Role.Admin);
        var mine = await (await alice.PostAsJsonAsync("/api/v1/views/saved", new { name = "Alice's", filters = new { } })).ReadAsync<SavedViewResponse>();
        await bob.PostAsJsonAsync("/api/v1/views/saved", new { name = "Bob's", filters = new { q = "refund" }, sort = "oldest" });
        var shared = await (await admin.PostAsJsonAsync("/api/v1/views/saved", new { name = "Team queue", filters = new { assignee = "none" }, shared = true }))
            .ReadAsync<SavedViewResponse>();

        var seen = await (await alice.GetAsync("/api/v1/views/saved")).ReadAsync<SavedViewResponse[]>();
        Assert.Equal(["Alice's", "Team queue"], seen.Select(v => v.Name));
        Assert.Equal([true, false], seen.Select(v => v.Mine));
        Assert.Equal(0, mine.Position);

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsJsonAsync("/api/v1/views/saved", new { name = "x", filters = new { }, shared = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PatchAsJsonAsync($"/api/v1/views/saved/{mine.Id}", new { shared = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PatchAsJsonAsync($"/api/v1/views/saved/{shared.Id}", new { name = "mine now" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.DeleteAsync($"/api/v1/views/saved/{shared.Id}")).StatusCode);
        // Someone else's private view does not exist for you, admin or not.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/views/saved/{mine.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/api/v1/views/saved/{mine.Id}")).StatusCode);

        var renamed = await (await alice.PatchAsJsonAsync($"/api/v1/views/saved/{mine.Id}", new { name = "Mine", sort = "updated", position = 7 }))
            .ReadAsync<SavedViewResponse>();
        Assert.Equal(("Mine", TicketSort.Updated, 7, "sort=updated"), (renamed.Name, renamed.Sort, renamed.Position, renamed.Query));
        var sharedByAdmin = await (await ws.Owner.PatchAsJsonAsync($"/api/v1/views/saved/{shared.Id}", new { filters = new { status = "open" } }))
            .ReadAsync<SavedViewResponse>();
        Assert.Equal("status=open", sharedByAdmin.Query);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/v1/views/saved/{mine.Id}")).StatusCode);
        Assert.Equal(["Team queue"], (await (await alice.GetAsync("/api/v1/views/saved")).ReadAsync<SavedViewResponse[]>()).Select(v => v.Name));
    }

    public static TheoryData<string, string, int, string> BadBodies => new()
    {
        { "no name", """{"filters":{}}""", 422, "name" },
        { "long name", "{\"name\":\"" + new string('n', 101) + "\",\"filters\":{}}", 422, "name" },
        { "bad status", """{"name":"x","filters":{"status":"open,snoozing"}}""", 422, "filters.status" },
        { "numeric priority", """{"name":"x","filters":{"priority":"3"}}""", 422, "filters.priority" },
        { "bad channel", """{"name":"x","filters":{"channel":"pigeon"}}""", 422, "filters.channel" },
        { "bad assignee", """{"name":"x","filters":{"assignee":"somebody"}}""", 422, "filters.assignee" },
        { "long q", "{\"name\":\"x\",\"filters\":{\"q\":\"" + new string('q', 201) + "\"}}", 422, "filters.q" },
        { "bad sort", """{"name":"x","filters":{},"sort":"random"}""", 422, "sort" },
        { "negative position", """{"name":"x","filters":{},"position":-1}""", 422, "position" },
        { "team not a guid", """{"name":"x","filters":{"team":"billing"}}""", 400, "$.filters" },
        { "unknown filter", """{"name":"x","filters":{"colour":"red"}}""", 400, "$.filters.colour" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_view_is_a_problem_naming_the_field_and_saves_nothing(string @case, string body, int status, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Post, "/api/v1/views/saved", body);
        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var problem = await response.ProblemAsync();
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.Ordinal)), $"{@case}: {problem}");
        Assert.Equal(0, await ws.CountAsync<SavedView>());
    }

    [Fact]
    public async Task A_bad_patch_changes_nothing()
    {
        var ws = await app.CreateWorkspaceAsync();
        var view = await (await ws.Owner.PostAsJsonAsync("/api/v1/views/saved", new { name = "Open", filters = new { status = "open" } })).ReadAsync<SavedViewResponse>();
        foreach (var body in new[] { """{"name":""}""", """{"filters":null}""", """{"filters":{"status":"later"}}""", """{"sort":"sideways"}""" })
        {
            var response = await ws.Owner.SendJsonAsync(HttpMethod.Patch, $"/api/v1/views/saved/{view.Id}", body);
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        }
        Assert.Equal(Untimed(view), Untimed(await (await ws.Owner.GetAsync($"/api/v1/views/saved/{view.Id}")).ReadAsync<SavedViewResponse>()));
    }

    // Databases keep less precision than the clock; the write's answer and a later read differ below a millisecond.
    private static SavedViewResponse Untimed(SavedViewResponse v) => v with { CreatedAt = default, UpdatedAt = default };
}
