using System.Globalization;

namespace Ateb.Infrastructure.Text;

/// <summary>
/// The words and digits of dates in one language. Ours are written out rather than read from ICU, whose names and
/// patterns differ between versions and platforms; other languages get their Gregorian names from their culture.
/// </summary>
internal sealed class ClockNames
{
    public required string Language { get; init; }
    public required Func<string, string> Digits { get; init; }
    public required bool RightToLeft { get; init; }
    public required DayOfWeek FirstDayOfWeek { get; init; }
    public required string[] GregorianMonths { get; init; }

    /// <summary>Month names after a day number, where the language inflects them (Russian «22 ноября»).</summary>
    public string[]? GregorianMonthsAfterDay { get; init; }
    public required string[] SolarHijriMonths { get; init; }
    public required string[] HijriMonths { get; init; }
    public required string HijriEra { get; init; }

    /// <summary>Day names, Sunday first, as <see cref="DayOfWeek"/> counts.</summary>
    public required string[] Weekdays { get; init; }
    public required string[] ShortWeekdays { get; init; }
    public required string Yesterday { get; init; }
    public required string DateTimeSeparator { get; init; }

    public string[] Months(AgentCalendar calendar) => calendar switch
    {
        AgentCalendar.SolarHijri => SolarHijriMonths,
        AgentCalendar.Hijri => HijriMonths,
        _ => GregorianMonths,
    };

    public static ClockNames For(string language) => BaseLanguage(language) switch
    {
        "fa" => Persian,
        "ar" => Arabic,
        "cy" => Welsh,
        "en" => English,
        _ => FromCulture(language),
    };

    public static string BaseLanguage(string language) => language.Split('-', '_')[0].Trim().ToLowerInvariant();

    private static readonly string[] LatinSolarHijriMonths = ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand"];
    private static readonly string[] LatinHijriMonths = ["Muharram", "Safar", "Rabiʻ I", "Rabiʻ II", "Jumada I", "Jumada II", "Rajab", "Shaʻban", "Ramadan", "Shawwal", "Dhuʻl-Qiʻdah", "Dhuʻl-Hijjah"];

    private static readonly ClockNames English = new()
    {
        Language = "en", Digits = static s => s, RightToLeft = false, FirstDayOfWeek = DayOfWeek.Monday,
        GregorianMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        SolarHijriMonths = LatinSolarHijriMonths, HijriMonths = LatinHijriMonths, HijriEra = " AH",
        Weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        ShortWeekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        Yesterday = "Yesterday", DateTimeSeparator = ", ",
    };

    private static readonly ClockNames Welsh = new()
    {
        Language = "cy", Digits = static s => s, RightToLeft = false, FirstDayOfWeek = DayOfWeek.Monday,
        GregorianMonths = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"],
        SolarHijriMonths = LatinSolarHijriMonths, HijriMonths = LatinHijriMonths, HijriEra = " AH",
        Weekdays = ["Dydd Sul", "Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener", "Dydd Sadwrn"],
        ShortWeekdays = ["Sul", "Llun", "Maw", "Mer", "Iau", "Gwe", "Sad"],
        Yesterday = "Ddoe", DateTimeSeparator = ", ",
    };

    private static readonly ClockNames Persian = new()
    {
        Language = "fa", Digits = Text.Digits.ToPersian, RightToLeft = true, FirstDayOfWeek = DayOfWeek.Saturday,
        GregorianMonths = ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"],
        SolarHijriMonths = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
        HijriMonths = ["محرم", "صفر", "ربیع‌الاول", "ربیع‌الثانی", "جمادی‌الاول", "جمادی‌الثانی", "رجب", "شعبان", "رمضان", "شوال", "ذی‌القعده", "ذی‌الحجه"],
        HijriEra = " ق",
        Weekdays = ["یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه"],
        ShortWeekdays = ["ی", "د", "س", "چ", "پ", "ج", "ش"],
        Yesterday = "دیروز", DateTimeSeparator = "، ",
    };

    private static readonly ClockNames Arabic = new()
    {
        Language = "ar", Digits = Text.Digits.ToArabicIndic, RightToLeft = true, FirstDayOfWeek = DayOfWeek.Saturday,
        GregorianMonths = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
        SolarHijriMonths = ["فروردين", "أرديبهشت", "خرداد", "تير", "مرداد", "شهريور", "مهر", "آبان", "آذر", "دي", "بهمن", "اسفند"],
        HijriMonths = ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"],
        HijriEra = " هـ",
        Weekdays = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"],
        ShortWeekdays = ["ح", "ن", "ث", "ر", "خ", "ج", "س"],
        Yesterday = "أمس", DateTimeSeparator = "، ",
    };

    private static ClockNames FromCulture(string language)
    {
        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(language);
        }
        catch (CultureNotFoundException)
        {
            return English;
        }
        var format = (DateTimeFormatInfo)culture.DateTimeFormat.Clone();
        if (format.Calendar is not GregorianCalendar)
        {
            // Thai and others default to another calendar; their Gregorian names are one of the optional calendars.
            format.Calendar = culture.OptionalCalendars.OfType<GregorianCalendar>().FirstOrDefault() ?? new GregorianCalendar();
        }
        return new ClockNames
        {
            Language = BaseLanguage(language), Digits = static s => s, RightToLeft = culture.TextInfo.IsRightToLeft,
            FirstDayOfWeek = format.FirstDayOfWeek,
            GregorianMonths = format.MonthNames[..12], GregorianMonthsAfterDay = format.MonthGenitiveNames[..12],
            SolarHijriMonths = LatinSolarHijriMonths, HijriMonths = LatinHijriMonths, HijriEra = " AH",
            Weekdays = format.DayNames, ShortWeekdays = format.AbbreviatedDayNames,
            Yesterday = English.Yesterday, DateTimeSeparator = ", ",
        };
    }
}
