using System.Globalization;
using AngleSharp.Dom;
using Ateb.Components;
using Ateb.Infrastructure.Text;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Components;

[Trait("Db", "none")]
public sealed class DatePickerTests : BunitContext
{
    private static readonly TimeZoneInfo Tehran = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran");
    private static readonly TimeZoneInfo Riyadh = TimeZoneInfo.FindSystemTimeZoneById("Asia/Riyadh");
    private readonly List<DateOnly?> _changes = [];

    // Noon on 1 Azar 1405 (Sunday 22 November 2026) in Tehran.
    public DatePickerTests()
    {
        Services.AddSingleton<TimeProvider>(new FixedTime(new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.Zero)));
        Services.AddLocalization();
    }

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private IRenderedComponent<DatePicker> Picker(AgentClock clock, DateOnly? value = null, DateOnly? min = null, DateOnly? max = null) =>
        Render<DatePicker>(p => p
            .Add(x => x.Clock, clock)
            .Add(x => x.Label, "Due date")
            .Add(x => x.Id, "due")
            .Add(x => x.Value, value)
            .Add(x => x.Min, min)
            .Add(x => x.Max, max)
            .Add(x => x.ValueChanged, (DateOnly? v) => _changes.Add(v)));

    private static AgentClock Persian => new("fa", AgentCalendar.SolarHijri, Tehran);

    private static IElement DayButton(IRenderedComponent<DatePicker> cut, string text) =>
        cut.FindAll("button[data-date]").Single(b => b.TextContent == text);

    private static IElement Focused(IRenderedComponent<DatePicker> cut) => cut.Find("button[data-date][tabindex='0']");

    private static string Heading(IRenderedComponent<DatePicker> cut) => cut.Find("h2").TextContent;

    [Fact]
    public void A_solar_hijri_clock_shows_persian_months_weekdays_and_digits()
    {
        var cut = Picker(Persian, Day("2026-11-22"));

        Assert.Equal("۱۴۰۵/۰۹/۰۱", cut.Find("input").GetAttribute("value"));
        Assert.Equal("due", cut.Find("label").GetAttribute("for"));
        Assert.Equal("rtl", cut.Find(".date-picker").GetAttribute("dir"));
        cut.Find("button.date-picker-toggle").Click();

        Assert.Equal("آذر ۱۴۰۵", Heading(cut));
        // The arrows carry the scope attribute that DatePicker.razor.css's right-to-left mirroring rule matches.
        Assert.Equal(2, cut.FindAll("svg.date-picker-arrow").Count);
        Assert.All(cut.FindAll("svg.date-picker-arrow"), svg => Assert.Contains(svg.Attributes, a => a.Name.StartsWith("b-", StringComparison.Ordinal)));
        Assert.Equal(["ش", "ی", "د", "س", "چ", "پ", "ج"], cut.FindAll("th").Select(th => th.TextContent));
        Assert.Equal("شنبه", cut.Find("th").GetAttribute("abbr"));
        var days = cut.FindAll("button[data-date]");
        Assert.Equal(30, days.Count);
        Assert.Equal("۱", days[0].TextContent);
        Assert.Equal("۳۰", days[^1].TextContent);
        // 1 Azar is a Sunday: one blank Saturday before it.
        Assert.Single(cut.FindAll("tbody tr:first-child td").TakeWhile(td => td.ChildElementCount == 0));
        Assert.Equal("یکشنبه ۱ آذر ۱۴۰۵", days[0].GetAttribute("aria-label"));
        Assert.Equal("true", days[0].ParentElement!.GetAttribute("aria-selected"));
        Assert.Equal("date", days[0].GetAttribute("aria-current"));
        Assert.Equal("grid", cut.Find("table").GetAttribute("role"));
    }

    [Fact]
    public void Clicking_a_day_sets_its_gregorian_date_and_closes_the_grid()
    {
        var cut = Picker(Persian, Day("2026-11-22"));
        cut.Find("button.date-picker-toggle").Click();

        DayButton(cut, "۱۵").Click();

        Assert.Equal([Day("2026-12-06")], _changes);
        Assert.Equal("۱۴۰۵/۰۹/۱۵", cut.Find("input").GetAttribute("value"));
        Assert.Empty(cut.FindAll("table"));
        JSInterop.VerifyFocusAsyncInvoke(calledTimes: 2); // the selected day on opening, the button on closing
    }

    [Theory]
    [InlineData("۱۴۰۵/۰۹/۰۱")]
    [InlineData("١٤٠٥/٠٩/٠١")]
    [InlineData("1405-9-1")]
    public void Typed_dates_in_any_digits_are_read_in_the_agents_calendar(string typed)
    {
        var cut = Picker(Persian);

        cut.Find("input").Change(typed);

        Assert.Equal([Day("2026-11-22")], _changes);
        Assert.Equal("۱۴۰۵/۰۹/۰۱", cut.Find("input").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[role=alert]"));
    }

    [Fact]
    public void Next_month_goes_from_esfand_to_farvardin_of_the_next_year()
    {
        var cut = Picker(Persian, Day("2027-03-01"));
        cut.Find("button.date-picker-toggle").Click();
        Assert.Equal("اسفند ۱۴۰۵", Heading(cut));
        Assert.Equal(29, cut.FindAll("button[data-date]").Count);

        cut.Find("button[aria-label='ماه بعد']").Click();

        Assert.Equal("فروردین ۱۴۰۶", Heading(cut));
        Assert.Equal(31, cut.FindAll("button[data-date]").Count);
        Assert.Equal("2027-03-21", DayButton(cut, "۱").GetAttribute("data-date"));
        cut.Find("button[aria-label='ماه قبل']").Click();
        Assert.Equal("اسفند ۱۴۰۵", Heading(cut));
    }

    [Fact]
    public void Days_outside_min_and_max_are_disabled()
    {
        var cut = Picker(Persian, min: Day("2026-12-01"), max: Day("2026-12-11"));
        cut.Find("button.date-picker-toggle").Click();

        // Today (1 Azar) is before the minimum: the grid opens on 10 Azar, the first day allowed.
        Assert.Equal("۱۰", Focused(cut).TextContent);
        Assert.Equal("true", DayButton(cut, "۹").GetAttribute("aria-disabled"));
        Assert.Null(DayButton(cut, "۱۰").GetAttribute("aria-disabled"));
        Assert.Null(DayButton(cut, "۲۰").GetAttribute("aria-disabled"));
        Assert.Equal("true", DayButton(cut, "۲۱").GetAttribute("aria-disabled"));
        Assert.True(cut.Find("button[aria-label='ماه قبل']").HasAttribute("disabled"));
        Assert.True(cut.Find("button[aria-label='ماه بعد']").HasAttribute("disabled"));

        DayButton(cut, "۲۱").Click();
        Assert.Empty(_changes);

        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "PageDown" });
        Assert.Equal("۲۰", Focused(cut).TextContent);

        cut.Find("input").Change("1405/09/25");
        Assert.Empty(_changes);
        Assert.Equal("تاریخی از ۱۰ آذر ۱۴۰۵ تا ۲۰ آذر ۱۴۰۵ انتخاب کنید.", cut.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void Arrow_keys_follow_the_reading_direction_and_page_keys_change_month()
    {
        var cut = Picker(Persian, Day("2026-11-22"));
        cut.Find("button.date-picker-toggle").Click();
        Assert.Equal("۱", Focused(cut).TextContent);

        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "ArrowLeft" });
        Assert.Equal("۲", Focused(cut).TextContent);
        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "ArrowRight" });
        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "ArrowRight" });
        Assert.Equal("۳۰", Focused(cut).TextContent);
        Assert.Equal("آبان ۱۴۰۵", Heading(cut));
        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "ArrowDown" });
        Assert.Equal("۷", Focused(cut).TextContent);
        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "ArrowUp" });
        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "PageDown" });
        Assert.Equal("آذر ۱۴۰۵", Heading(cut));
        Assert.Equal("دوشنبه ۳۰ آذر ۱۴۰۵", Focused(cut).GetAttribute("aria-label"));
        Assert.Equal("2026-12-21", Focused(cut).GetAttribute("data-date"));
        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "PageUp", ShiftKey = true });
        Assert.Equal("آذر ۱۴۰۴", Heading(cut));
        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "PageDown", ShiftKey = true });

        // 30 Azar 1405 is a Monday; its week runs Saturday 28 Azar to Friday 4 Dey.
        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "Home" });
        Assert.Equal("شنبه ۲۸ آذر ۱۴۰۵", Focused(cut).GetAttribute("aria-label"));
        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "End" });
        Assert.Equal("جمعه ۴ دی ۱۴۰۵", Focused(cut).GetAttribute("aria-label"));
        Assert.Single(cut.FindAll("button[data-date][tabindex='0']"));

        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "Enter" });
        Assert.Equal([Day("2026-12-25")], _changes);
        Assert.Empty(cut.FindAll("table"));
    }

    [Fact]
    public void Left_to_right_the_right_arrow_is_the_next_day_and_escape_returns_to_the_button()
    {
        var cut = Picker(new AgentClock("en", AgentCalendar.Gregorian, TimeZoneInfo.Utc), Day("2026-11-22"));
        cut.Find("button.date-picker-toggle").Click();
        Assert.Equal("November 2026", Heading(cut));
        Assert.Equal("Mon", cut.Find("th").TextContent);

        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "ArrowRight" });
        Assert.Equal("Monday 23 November 2026", Focused(cut).GetAttribute("aria-label"));

        Focused(cut).KeyDown(new KeyboardEventArgs { Key = "Escape" });
        Assert.Empty(cut.FindAll("table"));
        Assert.Equal("false", cut.Find("button.date-picker-toggle").GetAttribute("aria-expanded"));
        Assert.Empty(_changes);
        var focusCalls = JSInterop.Invocations.Where(i => i.Identifier == "Blazor._internal.domWrapper.focus").ToList();
        Assert.Equal(3, focusCalls.Count); // the first day on opening, the next day, the button
    }

    [Theory]
    [InlineData("1405/13/01")]
    [InlineData("1405/12/30")]
    [InlineData("فردا")]
    public void Text_that_is_not_a_date_shows_an_error_and_keeps_the_value(string typed)
    {
        var cut = Picker(Persian, Day("2026-11-22"));

        cut.Find("input").Change(typed);

        Assert.Empty(_changes);
        Assert.Equal("تاریخ را به شکل سال/ماه/روز وارد کنید، مثلاً ۱۴۰۵/۰۹/۰۱.", cut.Find("#due-error").TextContent);
        Assert.Equal("true", cut.Find("input").GetAttribute("aria-invalid"));
        Assert.Equal("due-error due-hint", cut.Find("input").GetAttribute("aria-describedby"));

        cut.Find("input").Change("");
        Assert.Equal([null], _changes);
        Assert.Empty(cut.FindAll("#due-error"));
    }

    [Fact]
    public void A_new_calendar_rewrites_the_date_but_a_parent_render_keeps_what_is_typed()
    {
        var cut = Picker(Persian, Day("2026-11-22"));

        cut.Render(p => p.Add(x => x.Clock, new AgentClock("ar", AgentCalendar.Hijri, Riyadh)));
        Assert.Equal("١٤٤٨/٠٦/١٢", cut.Find("input").GetAttribute("value"));

        cut.Find("input").Change("1448/13/01");
        cut.Render(p => p.Add(x => x.Clock, new AgentClock("ar", AgentCalendar.Hijri, Riyadh)));
        Assert.Equal("1448/13/01", cut.Find("input").GetAttribute("value"));
        Assert.NotEmpty(cut.FindAll("[role=alert]"));
    }

    [Fact]
    public void A_hijri_clock_heads_the_grid_with_the_hijri_month()
    {
        var cut = Picker(new AgentClock("ar", AgentCalendar.Hijri, Riyadh), Day("2026-02-18"));

        Assert.Equal("١٤٤٧/٠٩/٠١", cut.Find("input").GetAttribute("value"));
        cut.Find("button.date-picker-toggle").Click();

        Assert.Equal("رمضان ١٤٤٧ هـ", Heading(cut));
        Assert.Equal("س", cut.Find("th").TextContent);
        Assert.Equal(30, cut.FindAll("button[data-date]").Count);
        Assert.Equal("الأربعاء ١ رمضان ١٤٤٧ هـ", Focused(cut).GetAttribute("aria-label"));
        cut.Find("button[aria-label='الشهر التالي']").Click();
        Assert.Equal("شوال ١٤٤٧ هـ", Heading(cut));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
