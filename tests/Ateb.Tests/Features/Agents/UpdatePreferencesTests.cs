using Ateb.Infrastructure.Text;
using Ateb.Features.Agents;

namespace Ateb.Tests.Features.Agents;

public sealed class UpdatePreferencesTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Preferences_default_to_the_workspace_zone_and_the_languages_calendar()
    {
        var ws = await app.CreateWorkspaceAsync();
        await ws.Owner.PatchAsJsonAsync("/api/v1/workspace", new { timeZone = "Asia/Tehran" });
        var preferences = await (await ws.Owner.GetAsync("/api/v1/auth/me/preferences")).ReadAsync<PreferencesResponse>();
        Assert.Equal(new PreferencesResponse("en", null, null, "Asia/Tehran", AgentCalendar.Gregorian), preferences);

        var persian = await (await ws.Owner.PatchAsJsonAsync("/api/v1/auth/me/preferences", new { language = "fa" })).ReadAsync<PreferencesResponse>();
        Assert.Equal(AgentCalendar.SolarHijri, persian.EffectiveCalendar);
        var arabic = await (await ws.Owner.PatchAsJsonAsync("/api/v1/auth/me/preferences", new { language = "ar" })).ReadAsync<PreferencesResponse>();
        Assert.Equal(AgentCalendar.Hijri, arabic.EffectiveCalendar);
        var welsh = await (await ws.Owner.PatchAsJsonAsync("/api/v1/auth/me/preferences", new { language = "cy" })).ReadAsync<PreferencesResponse>();
        Assert.Equal(AgentCalendar.Gregorian, welsh.EffectiveCalendar);
    }

    [Fact]
    public async Task An_agent_chooses_zone_and_calendar_and_me_shows_them()
    {
        var ws = await app.CreateWorkspaceAsync();
        var browser = await ws.SignInAsync();
        var response = await browser.PatchAsJsonAsync("/api/v1/auth/me/preferences", new { language = "fa", timeZone = "Europe/London", calendar = "gregorian" });
        var saved = await response.ReadAsync<PreferencesResponse>();
        Assert.Equal(new PreferencesResponse("fa", "Europe/London", AgentCalendar.Gregorian, "Europe/London", AgentCalendar.Gregorian), saved);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dfa%7Cuic%3Dfa", StringComparison.Ordinal));

        var me = await (await browser.GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>();
        Assert.Equal(saved, me.Preferences);

        // Absent fields stay; null goes back to the default.
        var reset = await (await browser.SendJsonAsync(HttpMethod.Patch, "/api/v1/auth/me/preferences", """{"timeZone":null,"calendar":null}""")).ReadAsync<PreferencesResponse>();
        Assert.Equal(new PreferencesResponse("fa", null, null, "UTC", AgentCalendar.SolarHijri), reset);
    }

    [Fact]
    public async Task Preferences_belong_to_the_account_not_to_other_agents()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, _) = await ws.AddAgentAsync(Role.LightAgent);
        await agent.PatchAsJsonAsync("/api/v1/auth/me/preferences", new { language = "cy" });
        Assert.Equal("cy", (await (await agent.GetAsync("/api/v1/auth/me/preferences")).ReadAsync<PreferencesResponse>()).Language);
        Assert.Equal("en", (await (await ws.Owner.GetAsync("/api/v1/auth/me/preferences")).ReadAsync<PreferencesResponse>()).Language);
    }

    public static TheoryData<string, string, int, string> BadBodies => new()
    {
        { "unknown language", """{"language":"de"}""", 422, "language" },
        { "null language", """{"language":null}""", 422, "language" },
        { "unknown time zone", """{"timeZone":"Asia/Atlantis"}""", 422, "timeZone" },
        { "Windows time zone", """{"timeZone":"Iran Standard Time"}""", 422, "timeZone" },
        { "unknown calendar", """{"calendar":"julian"}""", 400, "$.calendar" },
        { "numeric calendar", """{"calendar":1}""", 400, "$.calendar" },
        { "unknown field", """{"theme":"dark"}""", 400, "$.theme" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_preference_is_a_problem_naming_the_field_and_changes_nothing(string @case, string body, int status, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Patch, "/api/v1/auth/me/preferences", body);
        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), @case);
        var after = await (await ws.Owner.GetAsync("/api/v1/auth/me/preferences")).ReadAsync<PreferencesResponse>();
        Assert.Equal(new PreferencesResponse("en", null, null, "UTC", AgentCalendar.Gregorian), after);
    }
}
