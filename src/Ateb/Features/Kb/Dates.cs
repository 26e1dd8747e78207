using System.Globalization;
using Ateb.Infrastructure.Text;

namespace Ateb.Features.Kb;

/// <summary>Dates in the reader's calendar and digits: Solar Hijri for Persian, Umm al-Qura for Arabic, Gregorian otherwise.</summary>
internal static class Dates
{
    public static string Format(DateTimeOffset at, string lang)
    {
        var date = at.UtcDateTime;
        switch (lang.Split('-')[0])
        {
            case "fa":
                var persian = new PersianCalendar();
                return Digits.ToPersian($"{persian.GetDayOfMonth(date)} {PersianMonths[persian.GetMonth(date) - 1]} {persian.GetYear(date)}");
            case "ar":
                var hijri = new UmAlQuraCalendar();
                var inRange = date >= hijri.MinSupportedDateTime && date <= hijri.MaxSupportedDateTime;
                return inRange
                    ? Digits.ToArabicIndic($"{hijri.GetDayOfMonth(date)} {HijriMonths[hijri.GetMonth(date) - 1]} {hijri.GetYear(date)} هـ")
                    : Digits.ToArabicIndic(date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("ar")));
            default:
                return date.ToString("d MMMM yyyy", Culture(lang));
        }
    }

    private static CultureInfo Culture(string lang)
    {
        try
        {
            return CultureInfo.GetCultureInfo(lang);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }

    private static readonly string[] PersianMonths = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

    private static readonly string[] HijriMonths = ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"];
}
