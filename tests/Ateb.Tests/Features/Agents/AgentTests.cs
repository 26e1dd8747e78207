using Ateb.Features.Agents;
using Ateb.Features.Teams;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Agents;

public sealed class AgentTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task One_account_can_hold_seats_in_two_workspaces_with_different_roles()
    {
        var one = await app.CreateWorkspaceAsync();
        var two = await app.CreateWorkspaceAsync();
        var email = $"shared-{Guid.NewGuid():N}@example.com";
        await one.Owner.PostAsJsonAsync("/api/v1/agents", new { email, password = "shared-pass-1", role = "admin", name = "Chosen by one" });

        // An admin of workspace two cannot claim an account that exists elsewhere (its password was chosen by someone else).
        var claim = await two.Owner.PostAsJsonAsync("/api/v1/agents", new { email, password = "another-pass", role = "admin" });
        Assert.Equal(HttpStatusCode.Conflict, claim.StatusCode);
        Assert.DoesNotContain("Chosen by one", await claim.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var workspaceTwo = await two.DbAsync(db => Task.FromResult(db.Workspaces.Single(w => w.Id == two.Id).Name));
        var (output, errors) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, await Ateb.Features.Admin.AdminVerbs.RunAsync(app.Services, ["agents", "add", "--workspace", workspaceTwo, "--email", email, "--role", "light_agent"], output, errors));

        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "another-pass", workspaceId = two.Id })).StatusCode);
        await browser.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "shared-pass-1", workspaceId = two.Id });
        var me = await (await browser.GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>();
        Assert.Equal(two.Id, me.WorkspaceId);
        Assert.Equal("light_agent", me.Role);
        Assert.Equal(2, me.Workspaces.Length);
    }

    [Fact]
    public async Task Two_owners_demoting_each_other_at_once_leave_one_owner()
    {
        for (var round = 0; round < 3; round++)
        {
            var ws = await app.CreateWorkspaceAsync();
            var (second, secondId) = await ws.AddAgentAsync(Role.Owner);
            await Task.WhenAll(
                ws.Owner.PatchAsJsonAsync($"/api/v1/agents/{secondId}", new { active = false }),
                second.PatchAsJsonAsync($"/api/v1/agents/{ws.OwnerAgentId}", new { active = false }));
            var owners = await ws.DbAsync(db => db.Memberships.CountAsync(m => m.Role == Role.Owner && m.Active));
            Assert.Equal(1, owners);
        }
    }

    [Fact]
    public async Task Admins_and_owners_can_be_assignees_but_light_agents_cannot()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (_, adminId) = await ws.AddAgentAsync(Role.Admin);
        var (_, lightId) = await ws.AddAgentAsync(Role.LightAgent);
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "x", requester = new { name = "C" } })).ReadAsync<Ateb.Features.Tickets.TicketResponse>();
        Assert.Equal(HttpStatusCode.OK, (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { assigneeId = adminId })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { assigneeId = ws.OwnerAgentId })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { assigneeId = lightId })).StatusCode);
    }

    [Fact]
    public async Task Identity_errors_name_the_field_they_are_about()
    {
        var ws = await app.CreateWorkspaceAsync();
        var weak = await ws.Owner.PostAsJsonAsync("/api/v1/agents", new { email = $"w{Guid.NewGuid():N}@example.com", password = "short" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        Assert.True((await weak.ProblemAsync()).GetProperty("errors").TryGetProperty("password", out _));
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
