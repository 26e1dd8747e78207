using System.Globalization;

namespace Ateb.Infrastructure.Text;

/// <summary>Conversions between a Gregorian <see cref="DateOnly"/> and the fields of each calendar, within what the calendar supports.</summary>
internal static class CalendarDates
{
    private static readonly GregorianCalendar GregorianRules = new();
    private static readonly PersianCalendar SolarHijriRules = new();
    private static readonly UmAlQuraCalendar HijriRules = new();

    public static Calendar Rules(AgentCalendar calendar) => calendar switch
    {
        AgentCalendar.SolarHijri => SolarHijriRules,
        AgentCalendar.Hijri => HijriRules,
        _ => GregorianRules,
    };

    public static DateOnly First(AgentCalendar calendar) => DateOnly.FromDateTime(Rules(calendar).MinSupportedDateTime);

    public static DateOnly Last(AgentCalendar calendar) => DateOnly.FromDateTime(Rules(calendar).MaxSupportedDateTime);

    public static bool Supports(AgentCalendar calendar, DateOnly date) => date >= First(calendar) && date <= Last(calendar);

    /// <summary>The date in <paramref name="calendar"/>, or in the Gregorian calendar where that one has no tables (Umm al-Qura before 1900 or after 2077).</summary>
    public static CalendarDate From(AgentCalendar calendar, DateOnly date)
    {
        var effective = Supports(calendar, date) ? calendar : AgentCalendar.Gregorian;
        var rules = Rules(effective);
        var at = date.ToDateTime(TimeOnly.MinValue);
        return new CalendarDate(effective, rules.GetYear(at), rules.GetMonth(at), rules.GetDayOfMonth(at));
    }

    public static bool TryToDate(AgentCalendar calendar, int year, int month, int day, out DateOnly date)
    {
        date = default;
        var rules = Rules(calendar);
        var firstYear = rules.GetYear(rules.MinSupportedDateTime);
        var lastYear = rules.GetYear(rules.MaxSupportedDateTime);
        if (year < firstYear || year > lastYear || month < 1 || month > rules.GetMonthsInYear(year) || day < 1 || day > DaysInMonth(calendar, year, month))
        {
            return false;
        }
        try
        {
            date = DateOnly.FromDateTime(rules.ToDateTime(year, month, day, 0, 0, 0, 0));
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // The first and last years are only partly supported (Solar Hijri 1 begins in 622, Umm al-Qura's tables stop in 2077).
            return false;
        }
    }

    public static int DaysInMonth(AgentCalendar calendar, int year, int month)
    {
        var rules = Rules(calendar);
        try
        {
            return rules.GetDaysInMonth(year, month);
        }
        catch (ArgumentOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>The same day <paramref name="months"/> months on in <paramref name="calendar"/>, the day clamped to the month's length, the result clamped to the supported range.</summary>
    public static DateOnly AddMonths(AgentCalendar calendar, DateOnly date, int months)
    {
        var from = From(calendar, date);
        var index = from.Year * 12 + from.Month - 1 + months;
        var (year, month) = (Math.DivRem(index, 12).Quotient, Math.DivRem(index, 12).Remainder + 1);
        var day = Math.Min(from.Day, Math.Max(1, DaysInMonth(from.Calendar, year, month)));
        if (TryToDate(from.Calendar, year, month, day, out var result))
        {
            return result;
        }
        return months < 0 ? First(from.Calendar) : Last(from.Calendar);
    }
}
