using Ateb.Features.Agents;
using Ateb.Features.Workspaces;

namespace Ateb.Tests.Features.Workspaces;

public sealed class UpdateWorkspaceTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task An_admin_sets_languages_time_zone_tone_and_business_hours_and_reads_them_back()
    {
        var ws = await app.CreateWorkspaceAsync();
        var before = await (await ws.Owner.GetAsync("/api/v1/workspace")).ReadAsync<WorkspaceResponse>();
        Assert.Equal(["en"], before.Languages);
        Assert.True(before.OpenNow);
        Assert.Null(before.NextChange);

        var response = await ws.Owner.PatchAsJsonAsync("/api/v1/workspace", new
        {
            defaultLanguage = "fa", languages = new[] { "fa", "en", "AR", "cy-gb", "fa" }, timeZone = "Asia/Tehran", tone = "formal",
            businessHours = new
            {
                weekly = new { saturday = new[] { new { start = "08:00", end = "16:00" } }, sunday = new[] { new { start = "08:00", end = "24:00" } } },
                exceptions = new[] { new { date = "2026-03-21", closed = true, label = "نوروز" } },
            },
        });
        var saved = await response.ReadAsync<WorkspaceResponse>();
        Assert.Equal(["fa", "en", "ar", "cy-GB"], saved.Languages);
        Assert.Equal(ToneOfVoice.Formal, saved.Tone);
        Assert.Equal("Asia/Tehran", saved.TimeZone);
        Assert.Equal("24:00", saved.BusinessHours.Weekly!.Sunday![0].End);
        Assert.Empty(saved.BusinessHours.Weekly.Monday!);
        Assert.Equal("نوروز", Assert.Single(saved.BusinessHours.Exceptions!).Label);
        Assert.NotNull(saved.NextChange);

        var read = await (await ws.Owner.GetAsync("/api/v1/workspace")).ReadAsync<WorkspaceResponse>();
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(saved.BusinessHours), System.Text.Json.JsonSerializer.Serialize(read.BusinessHours));
        Assert.Equal(saved.Languages, read.Languages);

        // An empty schedule goes back to always open.
        var cleared = await (await ws.Owner.PatchAsJsonAsync("/api/v1/workspace", new { businessHours = new { } })).ReadAsync<WorkspaceResponse>();
        Assert.True(cleared.OpenNow);
        Assert.Null(cleared.NextChange);
        var audit = await ws.DbAsync(db => Task.FromResult(db.AuditEntries.Where(a => a.EntityType == "workspace" && a.Field == "businessHours").Count()));
        Assert.Equal(2, audit);
    }

    public static TheoryData<string, string, int, string> BadBodies => new()
    {
        { "unknown time zone", """{"timeZone":"Mars/Olympus_Mons"}""", 422, "timeZone" },
        { "Windows time zone id", """{"timeZone":"GMT Standard Time"}""", 422, "timeZone" },
        { "bad language tag", """{"languages":["en","english!"]}""", 422, "languages[1]" },
        { "no languages", """{"languages":[]}""", 422, "languages" },
        { "default not among languages", """{"languages":["fa","ar"]}""", 422, "languages" },
        { "bad default language", """{"defaultLanguage":"x"}""", 422, "defaultLanguage" },
        { "unknown tone", """{"tone":"sarcastic"}""", 400, "$.tone" },
        { "unknown day", """{"businessHours":{"weekly":{"funday":[]}}}""", 400, "$.businessHours.weekly.funday" },
        { "end before start", """{"businessHours":{"weekly":{"monday":[{"start":"17:00","end":"09:00"}]}}}""", 422, "businessHours.weekly.monday[0].end" },
        { "overlap", """{"businessHours":{"weekly":{"monday":[{"start":"09:00","end":"13:00"},{"start":"12:00","end":"17:00"}]}}}""", 422, "businessHours.weekly.monday[1].start" },
        { "bad exception date", """{"businessHours":{"exceptions":[{"date":"2026-13-01","closed":true}]}}""", 422, "businessHours.exceptions[0].date" },
        { "too many intervals", "{\"businessHours\":{\"weekly\":{\"monday\":[" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"{{\"start\":\"{i:00}:00\",\"end\":\"{i:00}:30\"}}")) + "]}}}",
            422, "businessHours.weekly.monday" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_setting_is_a_problem_naming_the_field_and_changes_nothing(string @case, string body, int status, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Patch, "/api/v1/workspace", body);
        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var problem = await response.ProblemAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{@case}: {problem}");
        var after = await (await ws.Owner.GetAsync("/api/v1/workspace")).ReadAsync<WorkspaceResponse>();
        Assert.Equal(["en"], after.Languages);
        Assert.Equal("UTC", after.TimeZone);
        Assert.True(after.OpenNow);
    }

    [Fact]
    public async Task Only_admins_change_settings()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, _) = await ws.AddAgentAsync(Role.Agent);
        var response = await agent.PatchAsJsonAsync("/api/v1/workspace", new { languages = new[] { "en", "cy" } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["en"], (await (await agent.GetAsync("/api/v1/workspace")).ReadAsync<WorkspaceResponse>()).Languages);
    }
}
