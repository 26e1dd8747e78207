namespace Ateb.Features.Workspaces;

/// <summary>Open from <see cref="Start"/> to just before <see cref="End"/>, in local wall-clock minutes since midnight; End may be 1440 (24:00).</summary>
public readonly record struct OpenInterval(int Start, int End)
{
    public const int EndOfDay = 24 * 60;

    public bool Contains(int minute) => minute >= Start && minute < End;
}

/// <summary>A date with its own hours (a holiday, a short day): no intervals means closed all day.</summary>
public sealed record DatedHours(DateOnly Date, IReadOnlyList<OpenInterval> Intervals, string? Label)
{
    public bool Closed => Intervals.Count == 0;
}

/// <summary>
/// When a workspace is open: a weekly schedule of local wall-clock intervals plus dated exceptions, read in the
/// workspace's time zone. An empty weekly schedule means always open (24/7); exceptions still close or shorten their
/// dates. Hours follow the wall clock through daylight-saving changes: on a spring-forward day an opening time that
/// does not exist takes effect when the clock jumps past it, and on a fall-back day an hour that happens twice is
/// open (or closed) both times. Pure: no clock, no database; the live chat reuses it.
/// </summary>
public sealed class BusinessHours
{
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(14);

    public static readonly BusinessHours AlwaysOpen = new(new Dictionary<DayOfWeek, IReadOnlyList<OpenInterval>>(), []);

    private static readonly IReadOnlyList<OpenInterval> AllDay = [new(0, OpenInterval.EndOfDay)];

    private readonly Dictionary<DateOnly, DatedHours> _exceptions;

    /// <param name="weekly">Intervals per day, sorted and not overlapping (BusinessHoursSpecs.Parse makes sure).</param>
    public BusinessHours(IReadOnlyDictionary<DayOfWeek, IReadOnlyList<OpenInterval>> weekly, IReadOnlyList<DatedHours> exceptions)
    {
        Weekly = weekly;
        Exceptions = [.. exceptions.OrderBy(e => e.Date)];
        _exceptions = Exceptions.ToDictionary(e => e.Date);
    }

    public IReadOnlyDictionary<DayOfWeek, IReadOnlyList<OpenInterval>> Weekly { get; }

    public IReadOnlyList<DatedHours> Exceptions { get; }

    public bool HasWeeklySchedule => Weekly.Values.Any(v => v.Count > 0);

    /// <summary>The open intervals of one local date: its exception if it has one, else its weekday's.</summary>
    public IReadOnlyList<OpenInterval> On(DateOnly date) =>
        _exceptions.TryGetValue(date, out var special) ? special.Intervals
        : !HasWeeklySchedule ? AllDay
        : Weekly.TryGetValue(date.DayOfWeek, out var intervals) ? intervals : [];

    public DatedHours? ExceptionOn(DateOnly date) => _exceptions.GetValueOrDefault(date);

    public bool IsOpen(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var minute = local.Hour * 60 + local.Minute;
        return On(DateOnly.FromDateTime(local)).Any(i => i.Contains(minute));
    }

    /// <summary>The first instant after <paramref name="at"/> when the workspace opens or closes, or null if that is more than 14 days away.</summary>
    public DateTimeOffset? NextChange(DateTimeOffset at, TimeZoneInfo zone)
    {
        var open = IsOpen(at, zone);
        var until = at + Horizon;
        // Openness is constant between these instants, so the first one with the other state is the change.
        foreach (var candidate in Candidates(at, until, zone).Where(c => c > at && c <= until).Distinct().Order())
        {
            if (IsOpen(candidate, zone) != open)
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Every instant where openness may change: interval edges and midnights as real instants, and the zone's own offset changes.</summary>
    private IEnumerable<DateTimeOffset> Candidates(DateTimeOffset from, DateTimeOffset until, TimeZoneInfo zone)
    {
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        var days = (int)Horizon.TotalDays + 3;
        for (var date = first; date < first.AddDays(days); date = date.AddDays(1))
        {
            foreach (var minute in On(date).SelectMany(i => new[] { i.Start, i.End }).Append(0))
            {
                foreach (var instant in Instants(date.ToDateTime(TimeOnly.MinValue).AddMinutes(minute), zone))
                {
                    yield return instant;
                }
            }
        }
        foreach (var transition in Transitions(from, until, zone))
        {
            yield return transition;
        }
    }

    /// <summary>A wall-clock time as instants: none in a spring-forward gap (the transition covers it), two in a fall-back overlap.</summary>
    private static IEnumerable<DateTimeOffset> Instants(DateTime local, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(local))
        {
            return [];
        }
        return zone.IsAmbiguousTime(local)
            ? zone.GetAmbiguousTimeOffsets(local).Select(offset => new DateTimeOffset(local, offset))
            : [new DateTimeOffset(local, zone.GetUtcOffset(local))];
    }

    /// <summary>Instants (to the second) where the zone's UTC offset changes, found by an hourly scan and a binary search.</summary>
    private static IEnumerable<DateTimeOffset> Transitions(DateTimeOffset from, DateTimeOffset until, TimeZoneInfo zone)
    {
        var hour = TimeSpan.FromHours(1);
        for (var t = from; t < until; t += hour)
        {
            var before = zone.GetUtcOffset(t);
            if (zone.GetUtcOffset(t + hour) == before)
            {
                continue;
            }
            var (low, high) = (t, t + hour);
            while (high - low > TimeSpan.FromSeconds(1))
            {
                var middle = low + (high - low) / 2;
                (low, high) = zone.GetUtcOffset(middle) == before ? (middle, high) : (low, middle);
            }
            yield return new DateTimeOffset(high.UtcTicks - high.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        }
    }
}
