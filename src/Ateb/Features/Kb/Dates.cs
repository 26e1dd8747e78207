using Ateb.Infrastructure.Text;

namespace Ateb.Features.Kb;

/// <summary>Dates in the reader's calendar and digits: Solar Hijri for Persian, Umm al-Qura for Arabic, Gregorian otherwise.</summary>
internal static class Dates
{
    // Readers have no time zone we know of; UTC keeps a page the same for everyone and cacheable.
    public static string Format(DateTimeOffset at, string lang) => new AgentClock(lang, TimeZoneInfo.Utc).Date(at);
}
