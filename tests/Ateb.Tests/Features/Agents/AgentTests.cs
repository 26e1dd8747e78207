using Ateb.Features.Agents;
using Ateb.Features.Teams;

namespace Ateb.Tests.Features.Agents;

public sealed class AgentTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task One_account_can_hold_seats_in_two_workspaces_with_different_roles()
    {
        var one = await app.CreateWorkspaceAsync();
        var two = await app.CreateWorkspaceAsync();
        var email = $"shared-{Guid.NewGuid():N}@example.com";
        var a = await (await one.Owner.PostAsJsonAsync("/api/v1/agents", new { email, password = "shared-pass-1", role = "admin" })).ReadAsync<AgentResponse>();
        var b = await (await two.Owner.PostAsJsonAsync("/api/v1/agents", new { email, role = "light_agent" })).ReadAsync<AgentResponse>();
        Assert.Equal(a.AccountId, b.AccountId);
        Assert.Equal("light_agent", b.Role);

        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        await browser.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "shared-pass-1", workspaceId = two.Id });
        var me = await (await browser.GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>();
        Assert.Equal(two.Id, me.WorkspaceId);
        Assert.Equal("light_agent", me.Role);
        Assert.Equal(2, me.Workspaces.Length);
    }

    [Fact]
    public async Task Nobody_grants_more_than_they_have_and_the_last_owner_stays()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (admin, adminId) = await ws.AddAgentAsync(Role.Admin);
        var (agent, _) = await ws.AddAgentAsync(Role.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync("/api/v1/agents", new { email = "x@example.com", password = "password-1", role = "owner" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PatchAsJsonAsync($"/api/v1/agents/{adminId}", new { role = "owner" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PatchAsJsonAsync($"/api/v1/agents/{ws.OwnerAgentId}", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/agents", new { email = "y@example.com", password = "password-1", role = "agent" })).StatusCode);
        var selfDemote = await ws.Owner.PatchAsJsonAsync($"/api/v1/agents/{ws.OwnerAgentId}", new { role = "agent" });
        Assert.Equal(HttpStatusCode.Conflict, selfDemote.StatusCode);
    }

    [Fact]
    public async Task Teams_have_members_and_tickets_can_be_routed_to_them()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (_, agentId) = await ws.AddAgentAsync(Role.Agent);
        var team = await (await ws.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Cymorth" })).ReadAsync<TeamResponse>();
        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.PostAsJsonAsync($"/api/v1/teams/{team.Id}/members", new { agentId })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.PostAsJsonAsync($"/api/v1/teams/{team.Id}/members", new { agentId })).StatusCode);
        var read = await (await ws.Owner.GetAsync($"/api/v1/teams/{team.Id}")).ReadAsync<TeamResponse>();
        Assert.Equal([agentId], read.MemberIds);
        Assert.Equal(HttpStatusCode.Conflict, (await ws.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Cymorth" })).StatusCode);

        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "x", requester = new { name = "C" }, teamId = team.Id }))
            .ReadAsync<Ateb.Features.Tickets.TicketResponse>();
        var byTeam = await (await ws.Owner.GetAsync($"/api/v1/tickets?team={team.Id}")).ReadAsync<Ateb.Features.Tickets.TicketPage>();
        Assert.Equal(ticket.Id, Assert.Single(byTeam.Items).Id);
        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.DeleteAsync($"/api/v1/teams/{team.Id}/members/{agentId}")).StatusCode);
    }
}
