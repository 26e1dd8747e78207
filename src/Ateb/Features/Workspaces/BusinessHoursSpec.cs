using System.Globalization;
using System.Text.Json;
using Ateb.Infrastructure.Web;

namespace Ateb.Features.Workspaces;

/// <summary>"09:00" to "17:30"; end may be "24:00".</summary>
public sealed record HoursInterval(string? Start, string? End);

public sealed record WeeklyHours(
    HoursInterval[]? Monday = null, HoursInterval[]? Tuesday = null, HoursInterval[]? Wednesday = null, HoursInterval[]? Thursday = null,
    HoursInterval[]? Friday = null, HoursInterval[]? Saturday = null, HoursInterval[]? Sunday = null);

/// <summary>A date ("2026-12-25") that is closed all day or has its own intervals, with an optional label ("Christmas Day").</summary>
public sealed record HoursException(string? Date, bool? Closed, HoursInterval[]? Intervals, string? Label);

/// <summary>Business hours on the wire and in the database. An empty weekly schedule means always open.</summary>
public sealed record BusinessHoursSpec(WeeklyHours? Weekly, HoursException[]? Exceptions);

/// <summary>Reads and writes <see cref="BusinessHoursSpec"/>, naming the exact field of any mistake (businessHours.weekly.monday[0].end).</summary>
internal static class BusinessHoursSpecs
{
    public const int MaxIntervalsPerDay = 20;
    public const int MaxExceptions = 400;
    public const int MaxLabel = 100;

    private static readonly DayOfWeek[] Days =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static BusinessHours? Parse(BusinessHoursSpec spec, Check check, string field)
    {
        var weekly = new Dictionary<DayOfWeek, IReadOnlyList<OpenInterval>>();
        foreach (var day in Days)
        {
            var name = day.ToString().ToLowerInvariant();
            weekly[day] = Intervals(DayOf(spec.Weekly, day), check, $"{field}.weekly.{name}");
        }
        var exceptions = new List<DatedHours>();
        check.Count($"{field}.exceptions", spec.Exceptions, MaxExceptions);
        for (var i = 0; i < (spec.Exceptions?.Length ?? 0); i++)
        {
            var at = $"{field}.exceptions[{i}]";
            if (spec.Exceptions![i] is not { } e)
            {
                check.Add(at, "must not be null.");
                continue;
            }
            check.Text($"{at}.label", e.Label, MaxLabel);
            if (!DateOnly.TryParseExact(e.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                check.Add($"{at}.date", "must be a date like 2026-12-25.");
                continue;
            }
            if (exceptions.Any(x => x.Date == date))
            {
                check.Add($"{at}.date", "appears more than once.");
                continue;
            }
            var closed = e.Closed == true;
            var given = e.Intervals?.Length ?? 0;
            check.When(closed && given > 0, $"{at}.intervals", "must be empty when closed is true.")
                .When(!closed && given == 0, $"{at}.intervals", "are required unless closed is true.");
            exceptions.Add(new DatedHours(date, closed ? [] : Intervals(e.Intervals, check, $"{at}.intervals"), Label(e.Label)));
        }
        return check.Ok ? new BusinessHours(weekly, exceptions) : null;
    }

    public static BusinessHoursSpec ToSpec(this BusinessHours hours) => new(
        new WeeklyHours(Wire(hours, DayOfWeek.Monday), Wire(hours, DayOfWeek.Tuesday), Wire(hours, DayOfWeek.Wednesday), Wire(hours, DayOfWeek.Thursday),
            Wire(hours, DayOfWeek.Friday), Wire(hours, DayOfWeek.Saturday), Wire(hours, DayOfWeek.Sunday)),
        [.. hours.Exceptions.Select(e => new HoursException(e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), e.Closed,
            [.. e.Intervals.Select(Wire)], e.Label))]);

    public static string ToJson(BusinessHours hours) => JsonSerializer.Serialize(hours.ToSpec(), Json);

    /// <summary>Stored JSON was validated on the way in; empty (rows from before business hours) is always open.</summary>
    public static BusinessHours FromJson(string json) =>
        string.IsNullOrWhiteSpace(json)
            ? BusinessHours.AlwaysOpen
            : Parse(JsonSerializer.Deserialize<BusinessHoursSpec>(json, Json)!, new Check(), "businessHours") ?? BusinessHours.AlwaysOpen;

    private static List<OpenInterval> Intervals(HoursInterval?[]? given, Check check, string field)
    {
        var result = new List<(OpenInterval Interval, int Index)>();
        if (given is null)
        {
            return [];
        }
        check.Count(field, given, MaxIntervalsPerDay);
        for (var i = 0; i < given.Length; i++)
        {
            if (given[i] is not { } interval)
            {
                check.Add($"{field}[{i}]", "must not be null.");
                continue;
            }
            var start = Minutes(interval.Start, allowEndOfDay: false);
            var end = Minutes(interval.End, allowEndOfDay: true);
            check.When(start is null, $"{field}[{i}].start", "must be a time from 00:00 to 23:59, written HH:mm.")
                .When(end is null, $"{field}[{i}].end", "must be a time from 00:01 to 24:00, written HH:mm.");
            if (start is { } s && end is { } e)
            {
                if (e <= s)
                {
                    check.Add($"{field}[{i}].end", "must be after start (an interval may end at 24:00, not past midnight).");
                }
                else
                {
                    result.Add((new OpenInterval(s, e), i));
                }
            }
        }
        var sorted = result.OrderBy(r => r.Interval.Start).ToList();
        for (var k = 1; k < sorted.Count; k++)
        {
            if (sorted[k].Interval.Start < sorted[k - 1].Interval.End)
            {
                check.Add($"{field}[{Math.Max(sorted[k].Index, sorted[k - 1].Index)}].start", "overlaps another interval of the same day.");
            }
        }
        return [.. sorted.Select(r => r.Interval)];
    }

    private static int? Minutes(string? value, bool allowEndOfDay)
    {
        if (value is not { Length: 5 } || value[2] != ':' || !int.TryParse(value.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(value.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m > 59)
        {
            return null;
        }
        var minutes = h * 60 + m;
        return h < 24 || (allowEndOfDay && minutes == OpenInterval.EndOfDay) ? minutes : null;
    }

    private static HoursInterval[]? DayOf(WeeklyHours? weekly, DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => weekly?.Monday,
        DayOfWeek.Tuesday => weekly?.Tuesday,
        DayOfWeek.Wednesday => weekly?.Wednesday,
        DayOfWeek.Thursday => weekly?.Thursday,
        DayOfWeek.Friday => weekly?.Friday,
        DayOfWeek.Saturday => weekly?.Saturday,
        _ => weekly?.Sunday,
    };

    private static HoursInterval[] Wire(BusinessHours hours, DayOfWeek day) =>
        hours.Weekly.TryGetValue(day, out var intervals) ? [.. intervals.Select(Wire)] : [];

    private static HoursInterval Wire(OpenInterval i) => new(Time(i.Start), Time(i.End));

    private static string Time(int minutes) => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");

    private static string? Label(string? label) => string.IsNullOrWhiteSpace(label) ? null : label.Trim();
}
