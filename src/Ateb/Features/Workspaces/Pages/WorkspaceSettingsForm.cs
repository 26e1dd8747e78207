using System.Globalization;
using System.Text.RegularExpressions;
using Ateb.Infrastructure.Text;

namespace Ateb.Features.Workspaces.Pages;

/// <summary>One opening period on the form, as typed ("09:00", "۰۹:۰۰", "24:00").</summary>
public sealed class HoursRow
{
    public string? Start { get; set; }
    public string? End { get; set; }
}

/// <summary>A holiday or special day on the form: closed all day, or open in its own periods.</summary>
public sealed class ExceptionRow
{
    public DateOnly? Date { get; set; }
    public bool Closed { get; set; } = true;
    public List<HoursRow> Intervals { get; init; } = [];
    public string? Label { get; set; }
}

/// <summary>
/// The workspace settings form's values and the <see cref="UpdateWorkspaceRequest"/> they make. Business hours go out
/// whole, each day's periods and each special day in the order shown, so a refusal's field path
/// (businessHours.weekly.monday[0].end, businessHours.exceptions[2].date) names the input it is about: see <see cref="InputId"/>.
/// </summary>
public sealed partial class WorkspaceSettingsForm
{
    /// <summary>The languages offered as checkboxes; any other BCP-47 tag goes in <see cref="OtherLanguages"/>.</summary>
    public static readonly IReadOnlyList<string> KnownLanguages = ["en", "fa", "ar", "cy"];

    /// <summary>The days as the API names them, Monday first.</summary>
    public static readonly IReadOnlyList<DayOfWeek> Days =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private IReadOnlyList<string> _saved = [];

    public string? Name { get; set; }
    public string DefaultLanguage { get; set; } = "en";
    public HashSet<string> Languages { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>More BCP-47 tags, separated by commas or spaces ("de, pt-BR").</summary>
    public string? OtherLanguages { get; set; }

    public string TimeZone { get; set; } = "UTC";
    public string? PhoneRegion { get; set; }
    public ToneOfVoice Tone { get; set; }

    /// <summary>The help center's host name as typed; empty removes it.</summary>
    public string? HelpCenterHost { get; set; }
    public Dictionary<DayOfWeek, List<HoursRow>> Weekly { get; } = Days.ToDictionary(d => d, _ => new List<HoursRow>());
    public List<ExceptionRow> Exceptions { get; } = [];

    /// <param name="digits">Writes the times in the reader's digits (the form takes any digits back).</param>
    public static WorkspaceSettingsForm From(WorkspaceResponse w, Func<string, string>? digits = null)
    {
        digits ??= s => s;
        var form = new WorkspaceSettingsForm
        {
            Name = w.Name, DefaultLanguage = w.DefaultLanguage, TimeZone = w.TimeZone, PhoneRegion = w.PhoneRegion, Tone = w.Tone, _saved = w.Languages,
            HelpCenterHost = w.HelpCenterHost,
        };
        foreach (var tag in w.Languages.Where(t => KnownLanguages.Contains(t, StringComparer.OrdinalIgnoreCase)))
        {
            form.Languages.Add(tag.ToLowerInvariant());
        }
        form.OtherLanguages = string.Join(", ", w.Languages.Where(t => !KnownLanguages.Contains(t, StringComparer.OrdinalIgnoreCase)));
        foreach (var day in Days)
        {
            form.Weekly[day].AddRange(DayOf(w.BusinessHours.Weekly, day).Select(i => Row(i, digits)));
        }
        foreach (var e in w.BusinessHours.Exceptions ?? [])
        {
            var date = DateOnly.TryParseExact(e.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null;
            form.Exceptions.Add(new ExceptionRow
            {
                Date = date, Closed = e.Closed == true || (e.Intervals?.Length ?? 0) == 0, Label = e.Label,
                Intervals = [.. (e.Intervals ?? []).Select(i => Row(i, digits))],
            });
        }
        return form;
    }

    /// <summary>The workspace's languages as they will be saved: those it had, in their order, then the new ones.</summary>
    public IReadOnlyList<string> LanguageList()
    {
        var wanted = KnownLanguages.Where(Languages.Contains).Concat(OtherTags()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return [.. _saved.Where(t => wanted.Contains(t, StringComparer.OrdinalIgnoreCase))
            .Concat(wanted.Where(t => !_saved.Contains(t, StringComparer.OrdinalIgnoreCase)))];
    }

    public UpdateWorkspaceRequest ToRequest() => new(
        Name?.Trim() ?? "",
        DefaultLanguage,
        TimeZone,
        string.IsNullOrWhiteSpace(PhoneRegion) ? null : PhoneRegion.Trim(),
        Tone,
        [.. LanguageList()],
        new BusinessHoursSpec(
            new WeeklyHours(Wire(DayOfWeek.Monday), Wire(DayOfWeek.Tuesday), Wire(DayOfWeek.Wednesday), Wire(DayOfWeek.Thursday),
                Wire(DayOfWeek.Friday), Wire(DayOfWeek.Saturday), Wire(DayOfWeek.Sunday)),
            [.. Exceptions.Select(e => new HoursException(e.Date is { } d ? AgentClock.IsoDate(d) : null, e.Closed,
                e.Closed ? [] : [.. e.Intervals.Select(Wire)], string.IsNullOrWhiteSpace(e.Label) ? null : e.Label.Trim()))]),
        HelpCenterHost?.Trim() ?? "");

    /// <summary>Whether no day has any hours: the API then counts the workspace as always open.</summary>
    public bool AlwaysOpen => Weekly.Values.All(v => v.Count == 0);

    public void AddInterval(List<HoursRow> intervals) =>
        intervals.Add(intervals.Count == 0 ? new HoursRow { Start = "09:00", End = "17:00" } : new HoursRow { Start = intervals[^1].End });

    public void AllDay(DayOfWeek day)
    {
        Weekly[day].Clear();
        Weekly[day].Add(new HoursRow { Start = "00:00", End = "24:00" });
    }

    /// <summary>Monday's periods, copied to Tuesday to Friday.</summary>
    public void CopyMondayToWeekdays()
    {
        foreach (var day in new[] { DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
        {
            Weekly[day].Clear();
            Weekly[day].AddRange(Weekly[DayOfWeek.Monday].Select(r => new HoursRow { Start = r.Start, End = r.End }));
        }
    }

    // Input ids: every input a refusal can name has one made from its field path.

    public static string DayKey(DayOfWeek day) => day.ToString().ToLowerInvariant();

    public static string IntervalId(DayOfWeek day, int index, string edge) => $"bh-{DayKey(day)}-{index}-{edge}";

    public static string ExceptionId(int exception, string part) => $"bh-x{exception}-{part}";

    public static string ExceptionIntervalId(int exception, int index, string edge) => $"bh-x{exception}-{index}-{edge}";

    /// <summary>The input a field path of the API is about, or null for one the form does not show.</summary>
    public static string? InputId(string field)
    {
        if (WeeklyPath().Match(field) is { Success: true } w)
        {
            return w.Groups["index"].Success
                ? $"bh-{w.Groups["day"].Value}-{w.Groups["index"].Value}-{(w.Groups["edge"].Success ? w.Groups["edge"].Value : "start")}"
                : $"bh-{w.Groups["day"].Value}-add";
        }
        if (ExceptionPath().Match(field) is { Success: true } x)
        {
            var n = x.Groups["n"].Value;
            return x.Groups["index"].Success ? $"bh-x{n}-{x.Groups["index"].Value}-{(x.Groups["edge"].Success ? x.Groups["edge"].Value : "start")}"
                : x.Groups["part"].Value switch
                {
                    "date" => $"bh-x{n}-date",
                    "label" => $"bh-x{n}-label",
                    "intervals" => $"bh-x{n}-closed",
                    _ => $"bh-x{n}-date",
                };
        }
        return null;
    }

    private IEnumerable<string> OtherTags() =>
        (OtherLanguages ?? "").Split([',', ' ', '،', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => LanguageTags.Normalize(t) ?? t);

    private HoursInterval[] Wire(DayOfWeek day) => [.. Weekly[day].Select(Wire)];

    private static HoursInterval Wire(HoursRow r) => new(Time(r.Start), Time(r.End));

    /// <summary>As typed, in ASCII digits; "9:00" is read as "09:00".</summary>
    private static string? Time(string? typed)
    {
        var text = Digits.ToAscii(typed?.Trim() ?? "").Replace('：', ':').Replace('٫', ':');
        return text.Length == 4 && text[1] == ':' ? "0" + text : text;
    }

    private static HoursRow Row(HoursInterval i, Func<string, string> digits) => new() { Start = digits(i.Start ?? ""), End = digits(i.End ?? "") };

    private static HoursInterval[] DayOf(WeeklyHours? weekly, DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => weekly?.Monday,
        DayOfWeek.Tuesday => weekly?.Tuesday,
        DayOfWeek.Wednesday => weekly?.Wednesday,
        DayOfWeek.Thursday => weekly?.Thursday,
        DayOfWeek.Friday => weekly?.Friday,
        DayOfWeek.Saturday => weekly?.Saturday,
        _ => weekly?.Sunday,
    } ?? [];

    [GeneratedRegex(@"^businessHours\.weekly\.(?<day>[a-z]+)(\[(?<index>\d+)\](\.(?<edge>start|end))?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex WeeklyPath();

    [GeneratedRegex(@"^businessHours\.exceptions\[(?<n>\d+)\](\.intervals\[(?<index>\d+)\](\.(?<edge>start|end))?|\.(?<part>[a-z]+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex ExceptionPath();
}
