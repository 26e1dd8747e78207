namespace Ateb.Infrastructure.Text;

/// <summary>"5 minutes ago" and "in 5 minutes" with each language's plural forms (CLDR's categories), ASCII digits.</summary>
internal static class RelativeTimes
{
    internal enum Unit { Minute, Hour, Day, Month, Year }

    public static string Phrase(string language, TimeSpan elapsed)
    {
        var past = elapsed >= TimeSpan.Zero;
        var span = elapsed.Duration();
        if (span < TimeSpan.FromMinutes(1))
        {
            return Now(language);
        }
        var (count, unit) = span switch
        {
            _ when span < TimeSpan.FromHours(1) => ((long)span.TotalMinutes, Unit.Minute),
            _ when span < TimeSpan.FromDays(1) => ((long)span.TotalHours, Unit.Hour),
            _ when span < TimeSpan.FromDays(30) => ((long)span.TotalDays, Unit.Day),
            _ when span < TimeSpan.FromDays(365) => ((long)span.TotalDays / 30, Unit.Month),
            _ => ((long)span.TotalDays / 365, Unit.Year),
        };
        return language switch
        {
            "fa" => Persian(count, unit, past),
            "ar" => Arabic(count, unit, past),
            "cy" => Welsh(count, unit, past),
            _ => English(count, unit, past),
        };
    }

    private static string Now(string language) => language switch
    {
        "fa" => "همین الان",
        "ar" => "الآن",
        "cy" => "nawr",
        _ => "just now",
    };

    private static string English(long n, Unit unit, bool past)
    {
        var noun = unit.ToString().ToLowerInvariant() + (n == 1 ? "" : "s");
        return past ? $"{n} {noun} ago" : $"in {n} {noun}";
    }

    private static string Persian(long n, Unit unit, bool past)
    {
        var noun = unit switch { Unit.Minute => "دقیقه", Unit.Hour => "ساعت", Unit.Day => "روز", Unit.Month => "ماه", _ => "سال" };
        return $"{n} {noun} {(past ? "پیش" : "بعد")}";
    }

    /// <summary>Arabic counts: 1 and 2 are said by the noun alone (singular, dual), 3-10 take the plural, 11-99 the accusative singular, 100 and on the singular.</summary>
    private static string Arabic(long n, Unit unit, bool past)
    {
        // one, two, plural (3-10), accusative singular (11-99), singular (100, 101, ...)
        string[] forms = unit switch
        {
            Unit.Minute => ["دقيقة", "دقيقتين", "دقائق", "دقيقة", "دقيقة"],
            Unit.Hour => ["ساعة", "ساعتين", "ساعات", "ساعة", "ساعة"],
            Unit.Day => ["يوم", "يومين", "أيام", "يومًا", "يوم"],
            Unit.Month => ["شهر", "شهرين", "أشهر", "شهرًا", "شهر"],
            _ => ["سنة", "سنتين", "سنوات", "سنة", "سنة"],
        };
        var phrase = (n % 100) switch
        {
            _ when n == 1 => forms[0],
            _ when n == 2 => forms[1],
            >= 3 and <= 10 => $"{n} {forms[2]}",
            >= 11 and <= 99 => $"{n} {forms[3]}",
            _ => $"{n} {forms[4]}",
        };
        return past ? $"منذ {phrase}" : $"خلال {phrase}";
    }

    /// <summary>Welsh mutates the noun after 2 (soft) and counts years apart; the words follow CLDR's long forms.</summary>
    private static string Welsh(long n, Unit unit, bool past) => (unit, n, past) switch
    {
        (Unit.Minute, _, true) => $"{n} munud yn ôl",
        (Unit.Minute, _, false) => $"ymhen {n} munud",
        (Unit.Hour, _, true) => $"{n} awr yn ôl",
        (Unit.Hour, 1, false) => "ymhen awr",
        (Unit.Hour, _, false) => $"ymhen {n} awr",
        (Unit.Day, 2, true) => "2 ddiwrnod yn ôl",
        (Unit.Day, _, true) => $"{n} diwrnod yn ôl",
        (Unit.Day, 1, false) => "ymhen diwrnod",
        (Unit.Day, 2, false) => "ymhen deuddydd",
        (Unit.Day, _, false) => $"ymhen {n} diwrnod",
        (Unit.Month, 2, true) => "2 fis yn ôl",
        (Unit.Month, _, true) => $"{n} mis yn ôl",
        (Unit.Month, 1, false) => "ymhen mis",
        (Unit.Month, 2, false) => "ymhen deufis",
        (Unit.Month, _, false) => $"ymhen {n} mis",
        (_, 1, true) => "blwyddyn yn ôl",
        (_, 2, true) => "2 flynedd yn ôl",
        (_, _, true) => $"{n} o flynyddoedd yn ôl",
        (_, 1, false) => "ymhen blwyddyn",
        (_, 2, false) => "ymhen 2 flynedd",
        (_, 3 or 6, false) => $"ymhen {n} blynedd",
        (_, _, false) => $"ymhen {n} mlynedd",
    };
}
