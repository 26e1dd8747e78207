using System.Globalization;
using Ateb.Infrastructure.Text;

namespace Ateb.Tests.Infrastructure;

[Trait("Db", "none")]
public sealed class AgentClockTests
{
    private static readonly TimeZoneInfo Tehran = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran");
    private static readonly TimeZoneInfo Riyadh = TimeZoneInfo.FindSystemTimeZoneById("Asia/Riyadh");
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private static AgentClock Clock(string language, AgentCalendar? calendar = null, TimeZoneInfo? zone = null) =>
        new(language, calendar ?? AgentClock.DefaultCalendar(language), zone ?? TimeZoneInfo.Utc);

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("fa", AgentCalendar.SolarHijri)]
    [InlineData("fa-IR", AgentCalendar.SolarHijri)]
    [InlineData("ar", AgentCalendar.Hijri)]
    [InlineData("en", AgentCalendar.Gregorian)]
    [InlineData("cy", AgentCalendar.Gregorian)]
    [InlineData("de", AgentCalendar.Gregorian)]
    public void Each_language_has_a_usual_calendar(string language, AgentCalendar expected) =>
        Assert.Equal(expected, AgentClock.DefaultCalendar(language));

    // Each row was checked against .NET's PersianCalendar and UmAlQuraCalendar, and the Nowruz rows against the equinox
    // (before noon in Tehran: that day; after: the next), which is what makes 1403 and 1408 leap years and not 1407.
    [Theory]
    [InlineData(AgentCalendar.SolarHijri, "2026-03-21", 1405, 1, 1)]
    [InlineData(AgentCalendar.SolarHijri, "2025-03-21", 1404, 1, 1)]
    [InlineData(AgentCalendar.SolarHijri, "2025-03-20", 1403, 12, 30)]
    [InlineData(AgentCalendar.SolarHijri, "2024-03-20", 1403, 1, 1)]
    [InlineData(AgentCalendar.SolarHijri, "2020-03-20", 1399, 1, 1)]
    [InlineData(AgentCalendar.SolarHijri, "2028-03-20", 1407, 1, 1)]
    [InlineData(AgentCalendar.SolarHijri, "2029-03-19", 1407, 12, 29)]
    [InlineData(AgentCalendar.SolarHijri, "2029-03-20", 1408, 1, 1)]
    [InlineData(AgentCalendar.SolarHijri, "2030-03-20", 1408, 12, 30)]
    [InlineData(AgentCalendar.SolarHijri, "2026-09-22", 1405, 6, 31)]
    [InlineData(AgentCalendar.SolarHijri, "2026-11-22", 1405, 9, 1)]
    [InlineData(AgentCalendar.Hijri, "2026-02-18", 1447, 9, 1)]
    [InlineData(AgentCalendar.Hijri, "2025-03-01", 1446, 9, 1)]
    [InlineData(AgentCalendar.Hijri, "2025-03-30", 1446, 10, 1)]
    [InlineData(AgentCalendar.Hijri, "2025-06-26", 1447, 1, 1)]
    [InlineData(AgentCalendar.Hijri, "2026-11-12", 1448, 6, 2)]
    [InlineData(AgentCalendar.Hijri, "1900-04-30", 1318, 1, 1)]
    [InlineData(AgentCalendar.Hijri, "2077-11-16", 1500, 12, 30)]
    [InlineData(AgentCalendar.Gregorian, "2026-11-22", 2026, 11, 22)]
    public void Days_convert_to_and_from_each_calendar(AgentCalendar calendar, string gregorian, int year, int month, int day)
    {
        var clock = Clock("en", calendar);

        Assert.Equal(new CalendarDate(calendar, year, month, day), clock.ToCalendar(Day(gregorian)));
        Assert.Equal(Day(gregorian), clock.ToDate(year, month, day));
    }

    [Theory]
    [InlineData(AgentCalendar.SolarHijri)]
    [InlineData(AgentCalendar.Hijri)]
    [InlineData(AgentCalendar.Gregorian)]
    public void Every_day_from_1900_to_2077_agrees_with_dotnet_and_round_trips(AgentCalendar calendar)
    {
        Calendar rules = calendar switch
        {
            AgentCalendar.SolarHijri => new PersianCalendar(),
            AgentCalendar.Hijri => new UmAlQuraCalendar(),
            _ => new GregorianCalendar(),
        };
        var clock = Clock("fa", calendar);
        for (var day = Day("1900-04-30"); day <= Day("2077-11-16"); day = day.AddDays(1))
        {
            var at = day.ToDateTime(TimeOnly.MinValue);
            var converted = clock.ToCalendar(day);
            Assert.Equal((rules.GetYear(at), rules.GetMonth(at), rules.GetDayOfMonth(at)), (converted.Year, converted.Month, converted.Day));
            Assert.True(clock.TryParseDate(clock.NumericDate(day), out var parsed));
            Assert.Equal(day, parsed);
        }
    }

    [Theory]
    [InlineData(1395, true)]
    [InlineData(1399, true)]
    [InlineData(1402, false)]
    [InlineData(1403, true)]
    [InlineData(1404, false)]
    [InlineData(1405, false)]
    [InlineData(1407, false)]
    [InlineData(1408, true)]
    [InlineData(1412, true)]
    public void Esfand_has_30_days_in_solar_hijri_leap_years(int year, bool leap)
    {
        var clock = Clock("fa");

        Assert.Equal(leap ? 30 : 29, clock.DaysInMonth(year, 12));
        Assert.Equal(leap, clock.TryParseDate($"{year}/12/30", out _));
    }

    [Theory]
    [InlineData("fa", AgentCalendar.SolarHijri, "2026-11-24T10:00:00Z", "۳ آذر ۱۴۰۵")]
    [InlineData("ar", AgentCalendar.Hijri, "2026-11-12T10:00:00Z", "٢ جمادى الآخرة ١٤٤٨ هـ")]
    [InlineData("ar", AgentCalendar.Hijri, "2026-02-18T10:00:00Z", "١ رمضان ١٤٤٧ هـ")]
    [InlineData("en", AgentCalendar.Gregorian, "2026-11-22T10:00:00Z", "22 November 2026")]
    [InlineData("cy", AgentCalendar.Gregorian, "2026-11-22T10:00:00Z", "22 Tachwedd 2026")]
    [InlineData("fa", AgentCalendar.Gregorian, "2026-11-22T10:00:00Z", "۲۲ نوامبر ۲۰۲۶")]
    [InlineData("fa", AgentCalendar.Hijri, "2026-11-22T10:00:00Z", "۱۲ جمادی‌الثانی ۱۴۴۸ ق")]
    [InlineData("ar", AgentCalendar.Gregorian, "2026-11-22T10:00:00Z", "٢٢ نوفمبر ٢٠٢٦")]
    [InlineData("ar", AgentCalendar.SolarHijri, "2026-11-22T10:00:00Z", "١ آذر ١٤٠٥")]
    [InlineData("en", AgentCalendar.SolarHijri, "2026-11-22T10:00:00Z", "1 Azar 1405")]
    [InlineData("en", AgentCalendar.Hijri, "2026-11-22T10:00:00Z", "12 Jumada II 1448 AH")]
    [InlineData("cy", AgentCalendar.SolarHijri, "2026-03-21T10:00:00Z", "1 Farvardin 1405")]
    [InlineData("de", AgentCalendar.Gregorian, "2026-03-21T10:00:00Z", "21 März 2026")]
    [InlineData("ru", AgentCalendar.Gregorian, "2026-11-22T10:00:00Z", "22 ноября 2026")]
    [InlineData("th", AgentCalendar.Gregorian, "2026-11-22T10:00:00Z", "22 พฤศจิกายน 2026")]
    public void Dates_are_written_in_the_calendar_and_digits_of_the_language(string language, AgentCalendar calendar, string at, string expected) =>
        Assert.Equal(expected, Clock(language, calendar).Date(At(at)));

    [Theory]
    [InlineData("fa", "۱ آذر ۱۴۰۵، ۱۴:۰۵", "۱۴:۰۵")]
    [InlineData("ar", "١٢ جمادى الآخرة ١٤٤٨ هـ، ١٤:٠٥", "١٤:٠٥")]
    [InlineData("en", "22 November 2026, 14:05", "14:05")]
    [InlineData("cy", "22 Tachwedd 2026, 14:05", "14:05")]
    public void Times_are_24_hour_in_the_agents_zone(string language, string dateTime, string time)
    {
        var clock = Clock(language, zone: Riyadh);
        var at = At("2026-11-22T11:05:00Z");

        Assert.Equal(dateTime, clock.DateTime(at));
        Assert.Equal(time, clock.Time(at));
    }

    [Theory]
    [InlineData("Asia/Tehran", "2026-11-21T20:29:59Z", "2026-11-21", "۳۰ آبان ۱۴۰۵")]
    [InlineData("Asia/Tehran", "2026-11-21T20:30:00Z", "2026-11-22", "۱ آذر ۱۴۰۵")]
    [InlineData("Asia/Riyadh", "2026-11-21T20:59:59Z", "2026-11-21", "۳۰ آبان ۱۴۰۵")]
    [InlineData("Asia/Riyadh", "2026-11-21T21:00:00Z", "2026-11-22", "۱ آذر ۱۴۰۵")]
    [InlineData("Europe/London", "2026-11-21T23:59:59Z", "2026-11-21", "۳۰ آبان ۱۴۰۵")]
    [InlineData("Europe/London", "2026-11-22T00:00:00Z", "2026-11-22", "۱ آذر ۱۴۰۵")]
    [InlineData("Europe/London", "2026-06-30T23:30:00Z", "2026-07-01", "۱۰ تیر ۱۴۰۵")]
    [InlineData("Europe/London", "2026-06-30T22:59:00Z", "2026-06-30", "۹ تیر ۱۴۰۵")]
    public void The_day_changes_at_midnight_in_the_agents_zone(string zone, string at, string today, string date)
    {
        var clock = Clock("fa", zone: TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(Day(today), clock.Today(At(at)));
        Assert.Equal(date, clock.Date(At(at)));
    }

    [Theory]
    [InlineData("fa", "2026-11-22T05:35:00Z", "۰۹:۰۵")]
    [InlineData("fa", "2026-11-21T20:29:00Z", "دیروز")]
    [InlineData("fa", "2026-05-01T10:00:00Z", "۱۱ اردیبهشت")]
    [InlineData("fa", "2026-03-01T10:00:00Z", "۱۰ اسفند ۱۴۰۴")]
    [InlineData("en", "2026-11-21T20:29:00Z", "Yesterday")]
    [InlineData("en", "2026-03-01T10:00:00Z", "1 March")]
    [InlineData("en", "2025-12-31T10:00:00Z", "31 December 2025")]
    [InlineData("ar", "2026-11-21T10:00:00Z", "أمس")]
    [InlineData("ar", "2026-06-15T10:00:00Z", "٢٩ ذو الحجة ١٤٤٧ هـ")]
    [InlineData("ar", "2026-06-16T10:00:00Z", "١ محرم")]
    [InlineData("cy", "2026-11-21T10:00:00Z", "Ddoe")]
    [InlineData("cy", "2026-11-23T10:00:00Z", "23 Tachwedd")]
    public void Short_dates_in_lists_say_as_little_as_is_clear(string language, string at, string expected)
    {
        // 12:00 on 1 Azar 1405 (22 November 2026) in Tehran; a Persian year began on 21 March, a Hijri one on 16 June.
        var clock = Clock(language, zone: Tehran);

        Assert.Equal(expected, clock.Short(At(at), At("2026-11-22T08:30:00Z")));
    }

    [Theory]
    [InlineData("en", 30, "just now")]
    [InlineData("en", 60, "1 minute ago")]
    [InlineData("en", 300, "5 minutes ago")]
    [InlineData("en", -300, "in 5 minutes")]
    [InlineData("en", 7200, "2 hours ago")]
    [InlineData("en", 3 * 86400, "3 days ago")]
    [InlineData("en", 45 * 86400, "1 month ago")]
    [InlineData("en", 800 * 86400, "2 years ago")]
    [InlineData("fa", 300, "۵ دقیقه پیش")]
    [InlineData("fa", -300, "۵ دقیقه بعد")]
    [InlineData("fa", 3 * 3600, "۳ ساعت پیش")]
    [InlineData("fa", 10, "همین الان")]
    [InlineData("ar", 60, "منذ دقيقة")]
    [InlineData("ar", 120, "منذ دقيقتين")]
    [InlineData("ar", 300, "منذ ٥ دقائق")]
    [InlineData("ar", 600, "منذ ١٠ دقائق")]
    [InlineData("ar", 660, "منذ ١١ دقيقة")]
    [InlineData("ar", -300, "خلال ٥ دقائق")]
    [InlineData("ar", 3600, "منذ ساعة")]
    [InlineData("ar", 7200, "منذ ساعتين")]
    [InlineData("ar", 3 * 3600, "منذ ٣ ساعات")]
    [InlineData("ar", 2 * 86400, "منذ يومين")]
    [InlineData("ar", 11 * 86400, "منذ ١١ يومًا")]
    [InlineData("ar", 100 * 86400, "منذ ٣ أشهر")]
    [InlineData("ar", 3 * 365 * 86400, "منذ ٣ سنوات")]
    [InlineData("ar", 100 * 365 * 86400L, "منذ ١٠٠ سنة")]
    [InlineData("ar", 103 * 365 * 86400L, "منذ ١٠٣ سنوات")]
    [InlineData("ar", 111 * 365 * 86400L, "منذ ١١١ سنة")]
    [InlineData("cy", 30, "nawr")]
    [InlineData("cy", 300, "5 munud yn ôl")]
    [InlineData("cy", 2 * 86400, "2 ddiwrnod yn ôl")]
    [InlineData("cy", -86400, "ymhen diwrnod")]
    [InlineData("cy", -2 * 86400, "ymhen deuddydd")]
    [InlineData("cy", 60 * 86400, "2 fis yn ôl")]
    [InlineData("cy", 365 * 86400, "blwyddyn yn ôl")]
    [InlineData("cy", 2 * 365 * 86400, "2 flynedd yn ôl")]
    [InlineData("cy", -5 * 365 * 86400L, "ymhen 5 mlynedd")]
    public void Relative_times_use_each_languages_plural_forms(string language, long secondsAgo, string expected)
    {
        var now = At("2026-11-22T12:00:00Z");

        Assert.Equal(expected, Clock(language).Relative(now.AddSeconds(-secondsAgo), now));
    }

    [Theory]
    [InlineData("ar", "1890-01-01", "١ يناير ١٨٩٠", "1890/01/01")]
    [InlineData("ar", "1900-04-29", "٢٩ أبريل ١٩٠٠", "1900/04/29")]
    [InlineData("ar", "2077-11-17", "١٧ نوفمبر ٢٠٧٧", "2077/11/17")]
    [InlineData("ar", "2100-05-01", "١ مايو ٢١٠٠", "2100/05/01")]
    [InlineData("en", "0001-01-01", "1 January 1", "0001/01/01")]
    [InlineData("en", "9999-12-31", "31 December 9999", "9999/12/31")]
    public void Hijri_dates_beyond_umm_al_qura_fall_back_to_gregorian(string language, string day, string expected, string numeric)
    {
        var clock = Clock(language, AgentCalendar.Hijri, Riyadh);

        Assert.Equal(new CalendarDate(AgentCalendar.Gregorian, Day(day).Year, Day(day).Month, Day(day).Day), clock.ToCalendar(Day(day)));
        Assert.Equal(expected, clock.Date(Day(day)));
        Assert.Equal(numeric, Digits.ToAscii(clock.NumericDate(Day(day))));
    }

    [Fact]
    public void Extreme_instants_never_throw()
    {
        foreach (var calendar in Enum.GetValues<AgentCalendar>())
        {
            foreach (var language in new[] { "fa", "ar", "en", "cy" })
            {
                var clock = Clock(language, calendar, Tehran);
                Assert.NotEmpty(clock.DateTime(DateTimeOffset.MinValue));
                Assert.NotEmpty(clock.DateTime(DateTimeOffset.MaxValue));
                Assert.NotEmpty(clock.Short(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
                Assert.NotEmpty(clock.Short(DateTimeOffset.MaxValue, DateTimeOffset.MinValue));
                Assert.NotEmpty(clock.Short(DateTimeOffset.MinValue, DateTimeOffset.MinValue));
                Assert.NotEmpty(clock.Relative(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
                Assert.Equal(DateOnly.MaxValue, clock.AddMonths(DateOnly.MaxValue, 1));
                Assert.Equal(clock.MinDate, clock.AddMonths(clock.MinDate, -1));
            }
        }
    }

    [Theory]
    [InlineData(AgentCalendar.SolarHijri, "1405/09/01", "2026-11-22")]
    [InlineData(AgentCalendar.SolarHijri, "۱۴۰۵/۰۹/۰۱", "2026-11-22")]
    [InlineData(AgentCalendar.SolarHijri, "١٤٠٥-٩-١", "2026-11-22")]
    [InlineData(AgentCalendar.SolarHijri, " ۱۴۰۵ / ۹ / ۱ ", "2026-11-22")]
    [InlineData(AgentCalendar.SolarHijri, "\u200F۱۴۰۵/۰۹/۰۱\u200F", "2026-11-22")]
    [InlineData(AgentCalendar.SolarHijri, "1405/06/31", "2026-09-22")]
    [InlineData(AgentCalendar.SolarHijri, "1403/12/30", "2025-03-20")]
    [InlineData(AgentCalendar.SolarHijri, "1405/12/30", null)]
    [InlineData(AgentCalendar.SolarHijri, "1405/07/31", null)]
    [InlineData(AgentCalendar.SolarHijri, "1405/13/01", null)]
    [InlineData(AgentCalendar.SolarHijri, "1405/00/10", null)]
    [InlineData(AgentCalendar.SolarHijri, "1405/09/00", null)]
    [InlineData(AgentCalendar.SolarHijri, "1405/09-01", null)]
    [InlineData(AgentCalendar.SolarHijri, "1405/09/01x", null)]
    [InlineData(AgentCalendar.SolarHijri, "05/09/01", null)]
    [InlineData(AgentCalendar.SolarHijri, "01/09/1405", null)]
    [InlineData(AgentCalendar.SolarHijri, "१४०५/०९/०१", null)]
    [InlineData(AgentCalendar.SolarHijri, "", null)]
    [InlineData(AgentCalendar.SolarHijri, "   ", null)]
    [InlineData(AgentCalendar.SolarHijri, null, null)]
    [InlineData(AgentCalendar.SolarHijri, "فردا", null)]
    [InlineData(AgentCalendar.Hijri, "1447/09/01", "2026-02-18")]
    [InlineData(AgentCalendar.Hijri, "١٤٤٧/٠٩/٣٠", "2026-03-19")]
    [InlineData(AgentCalendar.Hijri, "1447/10/30", null)]
    [InlineData(AgentCalendar.Hijri, "1317/12/29", null)]
    [InlineData(AgentCalendar.Hijri, "1501/01/01", null)]
    [InlineData(AgentCalendar.Hijri, "2026/11/22", null)]
    [InlineData(AgentCalendar.Hijri, "2100/05/01", "2100-05-01")]
    [InlineData(AgentCalendar.Gregorian, "2026-11-22", "2026-11-22")]
    [InlineData(AgentCalendar.Gregorian, "2026/2/29", null)]
    [InlineData(AgentCalendar.Gregorian, "2028/2/29", "2028-02-29")]
    public void Typed_dates_are_read_in_the_agents_calendar(AgentCalendar calendar, string? text, string? expected)
    {
        var parsed = Clock("fa", calendar).TryParseDate(text, out var day);

        Assert.Equal(expected is not null, parsed);
        Assert.Equal(expected is null ? default : Day(expected), day);
    }

    [Theory]
    [InlineData("fa", AgentCalendar.SolarHijri, "2026-11-22", "۱۴۰۵/۰۹/۰۱")]
    [InlineData("ar", AgentCalendar.Hijri, "2026-02-18", "١٤٤٧/٠٩/٠١")]
    [InlineData("en", AgentCalendar.Gregorian, "2026-11-22", "2026/11/22")]
    public void Numeric_dates_are_what_agents_type(string language, AgentCalendar calendar, string day, string expected) =>
        Assert.Equal(expected, Clock(language, calendar).NumericDate(Day(day)));

    [Theory]
    [InlineData("fa", DayOfWeek.Saturday, "ش", "شنبه")]
    [InlineData("ar", DayOfWeek.Saturday, "س", "السبت")]
    [InlineData("en", DayOfWeek.Monday, "Mon", "Monday")]
    [InlineData("cy", DayOfWeek.Monday, "Llun", "Dydd Llun")]
    public void Weeks_start_on_the_languages_first_day(string language, DayOfWeek first, string shortName, string longName)
    {
        var clock = Clock(language);

        Assert.Equal(first, clock.Week()[0]);
        Assert.Equal(7, clock.Week().Distinct().Count());
        Assert.Equal(shortName, clock.WeekdayName(first, abbreviated: true));
        Assert.Equal(longName, clock.WeekdayName(first));
        Assert.Equal(first, clock.StartOfWeek(Day("2026-11-25")).DayOfWeek);
    }

    [Theory]
    [InlineData("fa", AgentCalendar.SolarHijri, 1405, 12, "اسفند ۱۴۰۵")]
    [InlineData("ar", AgentCalendar.Hijri, 1447, 9, "رمضان ١٤٤٧ هـ")]
    [InlineData("en", AgentCalendar.Gregorian, 2026, 11, "November 2026")]
    [InlineData("cy", AgentCalendar.Gregorian, 2026, 1, "Ionawr 2026")]
    public void Month_headings_name_the_month_and_year(string language, AgentCalendar calendar, int year, int month, string expected) =>
        Assert.Equal(expected, Clock(language, calendar).MonthYear(year, month));

    [Theory]
    [InlineData(AgentCalendar.SolarHijri, "2027-03-20", 1, "2027-04-18")] // 29 Esfand 1405 -> 29 Farvardin 1406
    [InlineData(AgentCalendar.SolarHijri, "2026-09-22", 1, "2026-10-22")]
    [InlineData(AgentCalendar.SolarHijri, "2026-03-21", -1, "2026-02-20")]
    [InlineData(AgentCalendar.SolarHijri, "2026-03-21", 12, "2027-03-21")]
    [InlineData(AgentCalendar.Hijri, "2026-02-18", 1, "2026-03-20")]
    [InlineData(AgentCalendar.Gregorian, "2026-01-31", 1, "2026-02-28")]
    public void Months_are_added_in_the_agents_calendar(AgentCalendar calendar, string from, int months, string expected) =>
        Assert.Equal(Day(expected), Clock("en", calendar).AddMonths(Day(from), months));

    [Fact]
    public void Time_elements_get_utc_iso_values()
    {
        Assert.Equal("2026-11-21T20:30:00Z", AgentClock.IsoDateTime(At("2026-11-22T00:00:00+03:30")));
        Assert.Equal("2026-11-22", AgentClock.IsoDate(Day("2026-11-22")));
    }
}
