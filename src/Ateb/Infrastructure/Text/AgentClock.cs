using System.Globalization;

namespace Ateb.Infrastructure.Text;

public enum AgentCalendar { Gregorian, SolarHijri, Hijri }

/// <summary>TEMPORARY stand-in, replaced by the calendar work on its branch.</summary>
public sealed class AgentClock(string language, AgentCalendar calendar, TimeZoneInfo zone)
{
    public string Language => language;
    public AgentCalendar Calendar => calendar;
    public TimeZoneInfo Zone => zone;

    public string Date(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    public string DateTime(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
    public string Brief(DateTimeOffset at, DateTimeOffset now) => TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM HH:mm", CultureInfo.InvariantCulture);
    public string Relative(DateTimeOffset at, DateTimeOffset now) => Brief(at, now);
    public string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
