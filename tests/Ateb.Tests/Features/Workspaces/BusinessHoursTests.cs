using System.Text.Json;
using Ateb.Features.Workspaces;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http;

namespace Ateb.Tests.Features.Workspaces;

[Trait("Db", "none")]
public sealed class BusinessHoursTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static BusinessHours Hours(string json)
    {
        var check = new Check();
        var hours = BusinessHoursSpecs.Parse(JsonSerializer.Deserialize<BusinessHoursSpec>(json, Web)!, check, "businessHours");
        Assert.True(check.Ok, string.Join(", ", Errors(check)));
        return hours!;
    }

    private static IEnumerable<string> Errors(Check check) =>
        check.Ok ? [] : ((HttpValidationProblemDetails)check.Problem().ProblemDetails).Errors.Keys;

    private static DateTimeOffset Utc(string value) => DateTimeOffset.Parse(value + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private const string London = """
        {"weekly": {
           "monday": [{"start":"09:00","end":"17:30"}], "tuesday": [{"start":"09:00","end":"17:30"}], "wednesday": [{"start":"09:00","end":"17:30"}],
           "thursday": [{"start":"09:00","end":"17:30"}], "friday": [{"start":"09:00","end":"12:00"}, {"start":"13:00","end":"17:30"}],
           "saturday": [{"start":"10:00","end":"14:00"}]},
         "exceptions": [
           {"date":"2026-12-25","closed":true,"label":"Christmas Day"},
           {"date":"2026-12-24","intervals":[{"start":"09:00","end":"13:00"}],"label":"Christmas Eve"}]}
        """;

    // Iran's week: Saturday to Wednesday, Thursday mornings, Friday off; Nowruz closes five days. No DST since 2022.
    private const string Tehran = """
        {"weekly": {
           "saturday": [{"start":"08:00","end":"16:00"}], "sunday": [{"start":"08:00","end":"16:00"}], "monday": [{"start":"08:00","end":"16:00"}],
           "tuesday": [{"start":"08:00","end":"16:00"}], "wednesday": [{"start":"08:00","end":"16:00"}], "thursday": [{"start":"08:00","end":"13:00"}]},
         "exceptions": [
           {"date":"2026-03-20","closed":true,"label":"نوروز"}, {"date":"2026-03-21","closed":true,"label":"نوروز"},
           {"date":"2026-03-22","closed":true,"label":"نوروز"}, {"date":"2026-03-23","closed":true,"label":"نوروز"},
           {"date":"2026-03-24","closed":true,"label":"نوروز"}]}
        """;

    private const string Overnight = """{"weekly": {"friday": [{"start":"18:00","end":"24:00"}], "saturday": [{"start":"00:00","end":"06:00"}]}}""";

    private const string SpringGap = """{"weekly": {"sunday": [{"start":"01:30","end":"03:00"}]}}""";

    private const string AutumnOverlap = """{"weekly": {"sunday": [{"start":"00:00","end":"01:30"}]}}""";

    private const string TehranMidnightGap = """{"weekly": {"monday": [{"start":"00:00","end":"02:00"}]}}""";

    private const string AlwaysOpenButChristmas = """{"exceptions": [{"date":"2026-12-25","closed":true,"label":"Christmas Day"}]}""";

    public static TheoryData<string, string, string, string, bool> OpenCases => new()
    {
        { "weekday opening minute", London, "Europe/London", "2026-01-05T09:00:00", true },
        { "a minute before opening", London, "Europe/London", "2026-01-05T08:59:59", false },
        { "last minute of the day", London, "Europe/London", "2026-01-05T17:29:59", true },
        { "closing time is closed", London, "Europe/London", "2026-01-05T17:30:00", false },
        { "lunch break between two intervals", London, "Europe/London", "2026-01-09T12:30:00", false },
        { "summer time: 09:30 BST is 08:30 UTC", London, "Europe/London", "2026-06-01T08:30:00", true },
        { "summer time: 17:45 BST is 16:45 UTC", London, "Europe/London", "2026-06-01T16:45:00", false },
        { "Sunday has no hours", London, "Europe/London", "2026-01-04T12:00:00", false },
        { "holiday closed all day", London, "Europe/London", "2026-12-25T12:00:00", false },
        { "special hours: open in the morning", London, "Europe/London", "2026-12-24T12:59:00", true },
        { "special hours: closed after 13:00", London, "Europe/London", "2026-12-24T13:00:00", false },
        { "Tehran opens 08:00 at +03:30", Tehran, "Asia/Tehran", "2026-03-18T04:30:00", true },
        { "Tehran a minute earlier", Tehran, "Asia/Tehran", "2026-03-18T04:29:00", false },
        { "Tehran Friday", Tehran, "Asia/Tehran", "2026-03-13T06:00:00", false },
        { "Tehran Nowruz", Tehran, "Asia/Tehran", "2026-03-21T06:00:00", false },
        { "Tehran still +03:30 after Nowruz (no DST)", Tehran, "Asia/Tehran", "2026-03-28T04:30:00", true },
        { "Tehran Thursday afternoon", Tehran, "Asia/Tehran", "2026-03-26T09:30:00", false },
        { "interval ending 24:00 covers the last second", Overnight, "Europe/London", "2026-01-09T23:59:59", true },
        { "the night goes on after midnight", Overnight, "Europe/London", "2026-01-10T00:00:00", true },
        { "spring gap: open once the clock jumps past 01:30", SpringGap, "Europe/London", "2026-03-29T01:00:00", true },
        { "spring gap: closed just before the jump", SpringGap, "Europe/London", "2026-03-29T00:59:59", false },
        { "autumn overlap: first 01:15 (BST)", AutumnOverlap, "Europe/London", "2026-10-25T00:15:00", true },
        { "autumn overlap: between 01:30 BST and the jump back", AutumnOverlap, "Europe/London", "2026-10-25T00:45:00", false },
        { "autumn overlap: second 01:15 (GMT)", AutumnOverlap, "Europe/London", "2026-10-25T01:15:00", true },
        { "empty schedule is always open", "{}", "Europe/London", "2026-01-04T03:00:00", true },
        { "always open but Christmas", AlwaysOpenButChristmas, "Europe/London", "2026-12-25T03:00:00", false },
    };

    [Theory]
    [MemberData(nameof(OpenCases))]
    public void Is_open_follows_the_local_wall_clock(string @case, string spec, string zone, string utc, bool open) =>
        Assert.True(open == Hours(spec).IsOpen(Utc(utc), TimeZoneInfo.FindSystemTimeZoneById(zone)), @case);

    public static TheoryData<string, string, string, string, string?> NextChangeCases => new()
    {
        { "closes at 17:30", London, "Europe/London", "2026-01-05T10:00:00", "2026-01-05T17:30:00" },
        { "opens next morning", London, "Europe/London", "2026-01-05T17:30:00", "2026-01-06T09:00:00" },
        { "lunch break", London, "Europe/London", "2026-01-09T11:00:00", "2026-01-09T12:00:00" },
        { "Saturday closing, then Monday", London, "Europe/London", "2026-01-10T14:00:00", "2026-01-12T09:00:00" },
        { "Christmas Eve closes early", London, "Europe/London", "2026-12-24T10:00:00", "2026-12-24T13:00:00" },
        { "after Christmas Eve, Boxing Day (a Saturday)", London, "Europe/London", "2026-12-24T13:00:00", "2026-12-26T10:00:00" },
        { "summer time opening", London, "Europe/London", "2026-05-31T20:00:00", "2026-06-01T08:00:00" },
        { "Tehran Thursday closes at 13:00", Tehran, "Asia/Tehran", "2026-03-19T09:00:00", "2026-03-19T09:30:00" },
        { "Tehran reopens after Nowruz", Tehran, "Asia/Tehran", "2026-03-19T09:30:00", "2026-03-25T04:30:00" },
        { "open until Saturday 06:00 across midnight", Overnight, "Europe/London", "2026-01-09T18:00:00", "2026-01-10T06:00:00" },
        { "spring gap: opens at the jump", SpringGap, "Europe/London", "2026-03-29T00:30:00", "2026-03-29T01:00:00" },
        { "spring gap: closes at 03:00 BST", SpringGap, "Europe/London", "2026-03-29T01:00:00", "2026-03-29T02:00:00" },
        { "autumn overlap: opens at 00:00 BST", AutumnOverlap, "Europe/London", "2026-10-24T22:00:00", "2026-10-24T23:00:00" },
        { "autumn overlap: closes at the first 01:30", AutumnOverlap, "Europe/London", "2026-10-24T23:00:00", "2026-10-25T00:30:00" },
        { "autumn overlap: reopens when the clock goes back", AutumnOverlap, "Europe/London", "2026-10-25T00:30:00", "2026-10-25T01:00:00" },
        { "autumn overlap: closes at the second 01:30", AutumnOverlap, "Europe/London", "2026-10-25T01:00:00", "2026-10-25T01:30:00" },
        { "Tehran 2021: midnight that never came opens at the jump", TehranMidnightGap, "Asia/Tehran", "2021-03-21T19:00:00", "2021-03-21T20:30:00" },
        { "Tehran 2021: closes at 02:00 +04:30", TehranMidnightGap, "Asia/Tehran", "2021-03-21T20:30:00", "2021-03-21T21:30:00" },
        { "always open never changes", "{}", "Asia/Tehran", "2026-01-01T00:00:00", null },
        { "always open but Christmas closes at midnight", AlwaysOpenButChristmas, "Europe/London", "2026-12-20T10:00:00", "2026-12-25T00:00:00" },
        { "and reopens the next midnight", AlwaysOpenButChristmas, "Europe/London", "2026-12-25T00:00:00", "2026-12-26T00:00:00" },
        { "nothing within 14 days", """{"weekly": {"monday": [{"start":"09:00","end":"10:00"}]}, "exceptions": [{"date":"2026-01-12","closed":true}, {"date":"2026-01-19","closed":true}]}""",
            "Europe/London", "2026-01-05T10:00:00", null },
    };

    [Theory]
    [MemberData(nameof(NextChangeCases))]
    public void Next_change_is_the_first_instant_the_state_flips(string @case, string spec, string zone, string utc, string? expected)
    {
        var next = Hours(spec).NextChange(Utc(utc), TimeZoneInfo.FindSystemTimeZoneById(zone));
        Assert.True((expected is null ? null : Utc(expected)) == next, $"{@case}: got {next:O}");
    }

    public static TheoryData<string, string, string> BadSpecs => new()
    {
        { "end before start", """{"weekly":{"monday":[{"start":"09:00","end":"08:00"}]}}""", "businessHours.weekly.monday[0].end" },
        { "end equal to start", """{"weekly":{"monday":[{"start":"09:00","end":"09:00"}]}}""", "businessHours.weekly.monday[0].end" },
        { "overlap", """{"weekly":{"tuesday":[{"start":"09:00","end":"12:00"},{"start":"11:00","end":"13:00"}]}}""", "businessHours.weekly.tuesday[1].start" },
        { "overlap given out of order", """{"weekly":{"tuesday":[{"start":"11:00","end":"13:00"},{"start":"09:00","end":"12:00"}]}}""", "businessHours.weekly.tuesday[1].start" },
        { "start at 24:00", """{"weekly":{"friday":[{"start":"24:00","end":"24:00"}]}}""", "businessHours.weekly.friday[0].start" },
        { "past 24:00", """{"weekly":{"friday":[{"start":"22:00","end":"25:00"}]}}""", "businessHours.weekly.friday[0].end" },
        { "24:30", """{"weekly":{"friday":[{"start":"22:00","end":"24:30"}]}}""", "businessHours.weekly.friday[0].end" },
        { "one-digit hour", """{"weekly":{"sunday":[{"start":"9:00","end":"17:00"}]}}""", "businessHours.weekly.sunday[0].start" },
        { "Persian digits", """{"weekly":{"sunday":[{"start":"۰۹:۰۰","end":"17:00"}]}}""", "businessHours.weekly.sunday[0].start" },
        { "missing end", """{"weekly":{"sunday":[{"start":"09:00"}]}}""", "businessHours.weekly.sunday[0].end" },
        { "null interval", """{"weekly":{"sunday":[null]}}""", "businessHours.weekly.sunday[0]" },
        { "21 intervals", "{\"weekly\":{\"monday\":[" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"{{\"start\":\"{i:00}:00\",\"end\":\"{i:00}:30\"}}")) + "]}}",
            "businessHours.weekly.monday" },
        { "impossible date", """{"exceptions":[{"date":"2026-02-30","closed":true}]}""", "businessHours.exceptions[0].date" },
        { "date in another format", """{"exceptions":[{"date":"25/12/2026","closed":true}]}""", "businessHours.exceptions[0].date" },
        { "same date twice", """{"exceptions":[{"date":"2026-12-25","closed":true},{"date":"2026-12-25","closed":true}]}""", "businessHours.exceptions[1].date" },
        { "closed with intervals", """{"exceptions":[{"date":"2026-12-25","closed":true,"intervals":[{"start":"09:00","end":"10:00"}]}]}""", "businessHours.exceptions[0].intervals" },
        { "neither closed nor intervals", """{"exceptions":[{"date":"2026-12-25"}]}""", "businessHours.exceptions[0].intervals" },
        { "bad special interval", """{"exceptions":[{"date":"2026-12-24","intervals":[{"start":"13:00","end":"09:00"}]}]}""", "businessHours.exceptions[0].intervals[0].end" },
        { "long label", "{\"exceptions\":[{\"date\":\"2026-12-25\",\"closed\":true,\"label\":\"" + new string('x', 101) + "\"}]}", "businessHours.exceptions[0].label" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void A_bad_schedule_names_the_exact_field(string @case, string json, string field)
    {
        var check = new Check();
        Assert.Null(BusinessHoursSpecs.Parse(JsonSerializer.Deserialize<BusinessHoursSpec>(json, Web)!, check, "businessHours"));
        Assert.True(Errors(check).Contains(field), $"{@case}: {string.Join(", ", Errors(check))}");
    }

    [Fact]
    public void A_schedule_survives_the_round_trip_through_json()
    {
        var hours = Hours(London);
        var again = BusinessHoursSpecs.FromJson(BusinessHoursSpecs.ToJson(hours));
        Assert.Equal(BusinessHoursSpecs.ToJson(hours), BusinessHoursSpecs.ToJson(again));
        Assert.Equal("Christmas Eve", again.ExceptionOn(new DateOnly(2026, 12, 24))!.Label);
        Assert.Equal([new OpenInterval(540, 720), new OpenInterval(780, 1050)], again.Weekly[DayOfWeek.Friday]);
        Assert.Same(BusinessHours.AlwaysOpen, BusinessHoursSpecs.FromJson(""));
        Assert.Equal("24:00", Hours(Overnight).ToSpec().Weekly!.Friday![0].End);
    }
}
