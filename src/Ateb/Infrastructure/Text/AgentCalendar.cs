namespace Ateb.Infrastructure.Text;

/// <summary>The calendar an agent reads and enters dates in.</summary>
public enum AgentCalendar
{
    Gregorian,

    /// <summary>The Solar Hijri (Persian) calendar, with its astronomical leap years.</summary>
    SolarHijri,

    /// <summary>The Hijri calendar as tabulated by Umm al-Qura (1900-04-30 to 2077-11-16 only).</summary>
    Hijri,
}
