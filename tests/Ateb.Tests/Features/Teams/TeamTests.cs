using Ateb.Features.Agents;
using Ateb.Features.Teams;
using Ateb.Features.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Teams;

public sealed class TeamTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Deleting_a_team_keeps_its_tickets_without_a_team_and_its_members_with_their_seats()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (_, agentId) = await ws.AddAgentAsync(Role.Agent);
        var team = await (await ws.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Billing" })).ReadAsync<TeamResponse>();
        (await ws.Owner.PostAsJsonAsync($"/api/v1/teams/{team.Id}/members", new { agentId })).EnsureSuccessStatusCode();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Invoice", requester = new { name = "C" }, teamId = team.Id }))
            .ReadAsync<TicketResponse>();
        Assert.Equal(team.Id, ticket.TeamId);

        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.DeleteAsync($"/api/v1/teams/{team.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.GetAsync($"/api/v1/teams/{team.Id}")).StatusCode);
        Assert.Null((await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailResponse>()).Ticket.TeamId);
        Assert.Equal(0, await ws.CountAsync<TeamMember>());
        Assert.True(await ws.DbAsync(db => db.Memberships.AnyAsync(m => m.Id == agentId && m.Active)));
        Assert.True(await ws.DbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityId == team.Id && a.Action == "deleted" && a.OldValue == "Billing")));
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.DeleteAsync($"/api/v1/teams/{team.Id}")).StatusCode);
    }

    [Fact]
    public async Task Only_admins_delete_teams_and_only_their_own_workspaces()
    {
        var ws = await app.CreateWorkspaceAsync();
        var other = await app.CreateWorkspaceAsync();
        var (agent, _) = await ws.AddAgentAsync(Role.Agent);
        var team = await (await ws.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Support" })).ReadAsync<TeamResponse>();

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync($"/api/v1/teams/{team.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Owner.DeleteAsync($"/api/v1/teams/{team.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ws.Owner.GetAsync($"/api/v1/teams/{team.Id}")).StatusCode);
    }
}
