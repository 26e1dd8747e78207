using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ateb.Infrastructure.Text;

/// <summary>
/// Dates and times as one agent reads and types them: in their time zone, their calendar (Gregorian, Solar Hijri or
/// Umm al-Qura Hijri) and their language's digits. Pure: "now" is always passed in. Public because Blazor components,
/// which are public, take it as a parameter.
/// </summary>
public sealed class AgentClock
{
    private readonly ClockNames _names;

    public AgentClock(string language, AgentCalendar calendar, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(zone);
        _names = ClockNames.For(language);
        Calendar = calendar;
        Zone = zone;
    }

    /// <summary>A clock in the language's usual calendar: Solar Hijri for Persian, Hijri for Arabic, Gregorian otherwise.</summary>
    public AgentClock(string language, TimeZoneInfo zone) : this(language, DefaultCalendar(language), zone)
    {
    }

    public static AgentCalendar DefaultCalendar(string language) => ClockNames.BaseLanguage(language) switch
    {
        "fa" => AgentCalendar.SolarHijri,
        "ar" => AgentCalendar.Hijri,
        _ => AgentCalendar.Gregorian,
    };

    /// <summary>The base language (fa, ar, cy, en, ...).</summary>
    public string Language => _names.Language;
    public AgentCalendar Calendar { get; }
    public TimeZoneInfo Zone { get; }
    public bool IsRightToLeft => _names.RightToLeft;
    public DayOfWeek FirstDayOfWeek => _names.FirstDayOfWeek;

    /// <summary>The first and last days the calendar can show (Umm al-Qura: 1900-04-30 to 2077-11-16).</summary>
    public DateOnly MinDate => CalendarDates.First(Calendar);
    public DateOnly MaxDate => CalendarDates.Last(Calendar);

    // Formatting

    /// <summary>«۳ آذر ۱۴۰۵», «٢ جمادى الآخرة ١٤٤٨ هـ», "22 November 2026", "22 Tachwedd 2026".</summary>
    public string Date(DateTimeOffset at) => Date(LocalDate(at));

    public string Date(DateOnly date)
    {
        var day = ToCalendar(date);
        return LocalDigits($"{day.Day} {MonthAfterDay(day)} {day.Year}{Era(day.Calendar)}");
    }

    /// <summary>The date with its day of the week, for screen readers and tooltips: "Sunday 22 November 2026".</summary>
    public string DateWithWeekday(DateOnly date) => $"{WeekdayName(date.DayOfWeek)} {Date(date)}";

    public string Time(DateTimeOffset at) => LocalDigits(Local(at).ToString("HH:mm", CultureInfo.InvariantCulture));

    /// <summary>Date and 24-hour time: «۳ آذر ۱۴۰۵، ۱۴:۳۰», "22 November 2026, 14:30".</summary>
    public string DateTime(DateTimeOffset at) => Date(at) + _names.DateTimeSeparator + Time(at);

    /// <summary>For lists: the time if today, "Yesterday", day and month within this (calendar) year, else the full date.</summary>
    [SuppressMessage("Naming", "CA1720", Justification = "Short as in short form, beside Date and DateTime; not the integer type.")]
    public string Short(DateTimeOffset at, DateTimeOffset now)
    {
        var day = LocalDate(at);
        var today = Today(now);
        if (day == today)
        {
            return Time(at);
        }
        if (day.DayNumber == today.DayNumber - 1)
        {
            return _names.Yesterday;
        }
        var (date, thisYear) = (ToCalendar(day), ToCalendar(today));
        return date.Calendar == thisYear.Calendar && date.Year == thisYear.Year
            ? LocalDigits($"{date.Day} {MonthAfterDay(date)}")
            : Date(day);
    }

    /// <summary>«۵ دقیقه پیش», "5 minutes ago", «منذ ٥ دقائق», "5 munud yn ôl"; "in 5 minutes" when <paramref name="at"/> is ahead.</summary>
    public string Relative(DateTimeOffset at, DateTimeOffset now) => LocalDigits(RelativeTimes.Phrase(Language, now - at));

    /// <summary>The machine-readable value of a &lt;time datetime&gt; attribute, in UTC.</summary>
    public static string IsoDateTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The numeric form agents type: «۱۴۰۵/۰۹/۰۱», "2026/11/22".</summary>
    public string NumericDate(DateOnly date)
    {
        var day = ToCalendar(date);
        return LocalDigits($"{day.Year:0000}/{day.Month:00}/{day.Day:00}");
    }

    public string Number(long value) => LocalDigits(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>ASCII digits in <paramref name="text"/> written in this language's digits.</summary>
    public string LocalDigits(string text) => _names.Digits(text);

    // Names

    public string MonthName(int month) => _names.Months(Calendar)[month - 1];

    /// <summary>A month grid's heading: «آذر ۱۴۰۵», «رمضان ١٤٤٧ هـ», "November 2026".</summary>
    public string MonthYear(int year, int month) => LocalDigits($"{MonthName(month)} {year}{Era(Calendar)}");

    public string WeekdayName(DayOfWeek day, bool abbreviated = false) => (abbreviated ? _names.ShortWeekdays : _names.Weekdays)[(int)day];

    /// <summary>The seven days in this language's week order (Saturday first for fa and ar, Monday for en and cy).</summary>
    public IReadOnlyList<DayOfWeek> Week() => [.. Enumerable.Range(0, 7).Select(i => (DayOfWeek)(((int)FirstDayOfWeek + i) % 7))];

    // Days and conversions

    public DateOnly Today(DateTimeOffset now) => LocalDate(now);

    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(Local(at).DateTime);

    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>The day in this clock's calendar; outside the calendar's range (Umm al-Qura before 1900 or after 2077) in the Gregorian one, as <see cref="CalendarDate.Calendar"/> says.</summary>
    public CalendarDate ToCalendar(DateOnly date) => CalendarDates.From(Calendar, date);

    public bool TryToDate(int year, int month, int day, out DateOnly date) => CalendarDates.TryToDate(Calendar, year, month, day, out date);

    public DateOnly ToDate(int year, int month, int day) => TryToDate(year, month, day, out var date)
        ? date
        : throw new ArgumentOutOfRangeException(nameof(day), $"{year}/{month}/{day} is not a day of the {Calendar} calendar.");

    public int DaysInMonth(int year, int month) => CalendarDates.DaysInMonth(Calendar, year, month);

    /// <summary>The same day of the month <paramref name="months"/> months on in this calendar (clamped to the month's last day).</summary>
    public DateOnly AddMonths(DateOnly date, int months) => CalendarDates.AddMonths(Calendar, date, months);

    public DateOnly StartOfMonth(DateOnly date)
    {
        var day = ToCalendar(date);
        return date.AddDays(1 - day.Day);
    }

    public DateOnly StartOfWeek(DateOnly date) =>
        DateOnly.FromDayNumber(Math.Max(0, date.DayNumber - ((int)date.DayOfWeek - (int)FirstDayOfWeek + 7) % 7));

    public DateOnly EndOfWeek(DateOnly date) =>
        DateOnly.FromDayNumber(Math.Min(DateOnly.MaxValue.DayNumber, StartOfWeek(date).DayNumber + 6));

    /// <summary>A date typed in this calendar, year first: 1405/09/01, ۱۴۰۵-۹-۱, ١٤٤٧/٠٩/٠١.</summary>
    public bool TryParseDate(string? text, out DateOnly date) => DateInput.TryParse(Calendar, text, out date);

    private string MonthAfterDay(CalendarDate day) => day.Calendar == AgentCalendar.Gregorian && _names.GregorianMonthsAfterDay is { } inflected
        ? inflected[day.Month - 1]
        : _names.Months(day.Calendar)[day.Month - 1];

    private string Era(AgentCalendar calendar) => calendar == AgentCalendar.Hijri ? _names.HijriEra : "";
}
