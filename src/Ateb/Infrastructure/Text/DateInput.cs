using System.Text.RegularExpressions;

namespace Ateb.Infrastructure.Text;

/// <summary>Numeric dates as agents type them, year first, in any of the three digit sets.</summary>
internal static partial class DateInput
{
    public static bool TryParse(AgentCalendar calendar, string? text, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var match = Numeric().Match(Digits.ToAscii(StripMarks(text)));
        if (!match.Success)
        {
            return false;
        }
        var (year, month, day) = (int.Parse(match.Groups["y"].Value), int.Parse(match.Groups["m"].Value), int.Parse(match.Groups["d"].Value));
        if (CalendarDates.TryToDate(calendar, year, month, day, out date))
        {
            return true;
        }
        // After Umm al-Qura's tables end (2077) dates show in the Gregorian calendar, so they are typed back in it. Only
        // after: a mistyped Hijri day must not become a Gregorian date of the 15th century.
        if (calendar != AgentCalendar.Gregorian && CalendarDates.TryToDate(AgentCalendar.Gregorian, year, month, day, out var gregorian)
            && gregorian > CalendarDates.Last(calendar))
        {
            date = gregorian;
            return true;
        }
        return false;
    }

    // Bidi marks creep in when RTL text is copied; the Arabic date separator is typed on Arabic keyboards.
    private static string StripMarks(string text) =>
        text.Trim().Replace("\u200E", "").Replace("\u200F", "").Replace("\u061C", "").Replace('\u060D', '/');

    [GeneratedRegex(@"^(?<y>[0-9]{4})\s*(?<sep>[/-])\s*(?<m>[0-9]{1,2})\s*\k<sep>\s*(?<d>[0-9]{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Numeric();
}
