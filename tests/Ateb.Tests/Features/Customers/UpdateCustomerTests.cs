using Ateb.Features.Customers;

namespace Ateb.Tests.Features.Customers;

public sealed class UpdateCustomerTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task An_agent_renames_a_customer_keeps_notes_and_sets_the_organization()
    {
        var ws = await app.CreateWorkspaceAsync();
        var org = await (await ws.Owner.PostAsJsonAsync("/api/v1/organizations", new { name = "شرکت نمونه" })).ReadAsync<Ateb.Features.Organizations.OrganizationResponse>();
        var customer = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "m.rezaei", emails = new[] { "m.rezaei@example.ir" } })).ReadAsync<CustomerResponse>();
        var (agent, _) = await ws.AddAgentAsync(Ateb.Features.Agents.Role.Agent);
        var updated = await (await agent.PatchAsJsonAsync($"/api/v1/customers/{customer.Id}", new
        {
            name = " محمد رضایی ", notes = "Calls after 17:00 Tehran time.\nپاسخ به فارسی", organizationId = org.Id,
        })).ReadAsync<CustomerResponse>();
        Assert.Equal(("محمد رضایی", "Calls after 17:00 Tehran time.\nپاسخ به فارسی", org.Id), (updated.Name, updated.Notes, updated.OrganizationId));
        Assert.Equal(["m.rezaei@example.ir"], updated.Emails);

        // Absent fields stay; null clears.
        var cleared = await (await agent.SendJsonAsync(HttpMethod.Patch, $"/api/v1/customers/{customer.Id}", """{"notes":null,"organizationId":null}""")).ReadAsync<CustomerResponse>();
        Assert.Equal(("محمد رضایی", null, null), (cleared.Name, cleared.Notes, cleared.OrganizationId));
        var fields = await ws.DbAsync(db => Task.FromResult(db.AuditEntries.Where(a => a.EntityId == customer.Id && a.Action == "updated").Select(a => a.Field).ToList()));
        Assert.Equal(["name", "notes", "notes", "organizationId", "organizationId"], fields.Order());
        // The new name reaches the search index through the search.index job (after the commit): give it a moment.
        var found = await (await ws.Owner.GetAsync("/api/v1/customers?q=رضایی")).ReadAsync<CustomerPage>();
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); found.Items.Length == 0 && wait.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(100);
            found = await (await ws.Owner.GetAsync("/api/v1/customers?q=رضایی")).ReadAsync<CustomerPage>();
        }
        Assert.Equal([customer.Id], found.Items.Select(c => c.Id));
    }

    public static TheoryData<string, string, int, string> BadBodies => new()
    {
        { "empty name", """{"name":"  "}""", 422, "name" },
        { "null name", """{"name":null}""", 422, "name" },
        { "long name", "{\"name\":\"" + new string('n', 201) + "\"}", 422, "name" },
        { "long notes", "{\"notes\":\"" + new string('n', 10_001) + "\"}", 422, "notes" },
        { "NUL in notes", """{"notes":"a\u0000b"}""", 422, "notes" },
        { "organization not a guid", """{"organizationId":"acme"}""", 400, "$.organizationId" },
        { "unknown field", """{"emails":["x@example.com"]}""", 400, "$.emails" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_change_is_a_problem_naming_the_field_and_changes_nothing(string @case, string body, int status, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var customer = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "Siân" })).ReadAsync<CustomerResponse>();
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Patch, $"/api/v1/customers/{customer.Id}", body);
        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), @case);
        var after = await (await ws.Owner.GetAsync($"/api/v1/customers/{customer.Id}")).ReadAsync<CustomerResponse>();
        Assert.Equal(("Siân", null), (after.Name, after.Notes));
    }

    [Fact]
    public async Task Unknown_organizations_and_light_agents_are_refused()
    {
        var ws = await app.CreateWorkspaceAsync();
        var customer = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "Siân" })).ReadAsync<CustomerResponse>();
        var (light, _) = await ws.AddAgentAsync(Ateb.Features.Agents.Role.LightAgent);
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.PatchAsJsonAsync($"/api/v1/customers/{customer.Id}", new { organizationId = Guid.NewGuid() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await light.PatchAsJsonAsync($"/api/v1/customers/{customer.Id}", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.PatchAsJsonAsync($"/api/v1/customers/{Guid.NewGuid()}", new { name = "x" })).StatusCode);
    }
}
