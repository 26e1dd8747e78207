using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Features.Views;

namespace Ateb.Tests.Features.Views;

public sealed class ViewCountTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task View_counts_match_the_lists_they_open()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, agentId) = await ws.AddAgentAsync(Role.Agent);
        var team = await (await ws.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Billing" })).ReadAsync<Ateb.Features.Teams.TeamResponse>();
        foreach (var name in new[] { "Cymorth", "پشتیبانی", "الدعم", "Sales" })
        {
            await ws.Owner.PostAsJsonAsync("/api/v1/teams", new { name });
        }
        var specs = new object[]
        {
            new { subject = "a", requester = new { name = "C" }, priority = "urgent", assigneeId = agentId },
            new { subject = "b", requester = new { name = "C" }, channel = "email", teamId = team.Id },
            new { subject = "c", requester = new { name = "C" }, channel = "chat" },
            new { subject = "d", requester = new { name = "C" }, channel = "chat", assigneeId = agentId },
            new { subject = "e", requester = new { name = "C" } },
        };
        var ids = new List<Guid>();
        foreach (var spec in specs)
        {
            ids.Add((await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", spec)).ReadAsync<TicketResponse>()).Id);
        }
        await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ids[3]}", new { status = "pending" });
        await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ids[4]}", new { status = "solved" });

        var views = await (await agent.GetAsync("/api/v1/views")).ReadAsync<ViewCount[]>();
        Assert.Equal(20, views.Length);
        var expected = new Dictionary<string, long>
        {
            ["mine"] = 2, ["unassigned"] = 2, ["unsolved"] = 4, ["new"] = 3, ["pending"] = 1, ["urgent"] = 1,
            ["channel-chat"] = 2, ["channel-email"] = 1, ["team-" + team.Id] = 1, ["solved"] = 1,
        };
        foreach (var (id, count) in expected)
        {
            Assert.Equal(count, views.Single(v => v.Id == id).Count);
        }
        foreach (var view in views.Where(v => v.Count < 100))
        {
            var page = await (await agent.GetAsync("/api/v1/tickets?limit=100&" + view.Query)).ReadAsync<TicketPage>();
            Assert.True(view.Count == page.Items.Length, $"{view.Id}: count {view.Count}, list {page.Items.Length}");
        }
    }
}
