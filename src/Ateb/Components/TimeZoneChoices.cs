using System.Globalization;

namespace Ateb.Components;

/// <summary>One time zone in a picker: its IANA id and what the option says ("Asia/Tehran (UTC+03:30)").</summary>
public sealed record TimeZoneChoice(string Id, string Label);

/// <summary>
/// The IANA time zones this machine knows, for the workspace's and the agent's time zone pickers: the ones most of our
/// workspaces use first, then all of them by id. Offsets are today's (they move with daylight saving).
/// </summary>
public static class TimeZoneChoices
{
    public static readonly IReadOnlyList<string> CommonIds = ["Asia/Tehran", "Asia/Riyadh", "Europe/London", "UTC"];

    public static IReadOnlyList<TimeZoneChoice> Common(DateTimeOffset now) =>
        [.. CommonIds.Select(id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? Choice(zone, now) : null).OfType<TimeZoneChoice>()];

    public static IReadOnlyList<TimeZoneChoice> All(DateTimeOffset now) =>
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId && !z.Id.Contains(' ', StringComparison.Ordinal))
            .Select(z => Choice(z, now)).OrderBy(c => c.Id, StringComparer.Ordinal)];

    /// <summary>"Asia/Tehran (UTC+03:30)"; an id this machine does not know is shown as it is.</summary>
    public static string Label(string id, DateTimeOffset now) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? Choice(zone, now).Label : id;

    private static TimeZoneChoice Choice(TimeZoneInfo zone, DateTimeOffset now)
    {
        var offset = zone.GetUtcOffset(now);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var text = offset == TimeSpan.Zero ? "UTC" : string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{offset.Duration():hh\\:mm}");
        return new TimeZoneChoice(zone.Id, zone.Id == "UTC" ? "UTC" : $"{zone.Id} ({text})");
    }
}
