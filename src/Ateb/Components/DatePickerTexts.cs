using System.Globalization;

namespace Ateb.Components;

/// <summary>The date picker's words; {0} and {1} are filled with dates in the agent's calendar and digits.</summary>
public sealed record DatePickerTexts
{
    public required string ChooseDate { get; init; }
    public required string ChangeDate { get; init; }
    public required string PreviousMonth { get; init; }
    public required string NextMonth { get; init; }
    public required string Hint { get; init; }
    public required string Invalid { get; init; }
    public required string OutOfRange { get; init; }
    public required string TooEarly { get; init; }
    public required string TooLate { get; init; }

    public static DatePickerTexts For(string language) => language switch
    {
        "fa" => Persian,
        "ar" => Arabic,
        "cy" => Welsh,
        _ => English,
    };

    internal static string Fill(string text, params object[] values) => string.Format(CultureInfo.InvariantCulture, text, values);

    public static readonly DatePickerTexts English = new()
    {
        ChooseDate = "Choose date", ChangeDate = "Change date, {0}", PreviousMonth = "Previous month", NextMonth = "Next month",
        Hint = "Year/month/day, for example {0}", Invalid = "Enter a date as year/month/day, for example {0}.",
        OutOfRange = "Choose a date from {0} to {1}.", TooEarly = "Choose {0} or later.", TooLate = "Choose {0} or earlier.",
    };

    public static readonly DatePickerTexts Persian = new()
    {
        ChooseDate = "انتخاب تاریخ", ChangeDate = "تغییر تاریخ، {0}", PreviousMonth = "ماه قبل", NextMonth = "ماه بعد",
        Hint = "سال/ماه/روز، مثلاً {0}", Invalid = "تاریخ را به شکل سال/ماه/روز وارد کنید، مثلاً {0}.",
        OutOfRange = "تاریخی از {0} تا {1} انتخاب کنید.", TooEarly = "{0} یا پس از آن را انتخاب کنید.", TooLate = "{0} یا پیش از آن را انتخاب کنید.",
    };

    public static readonly DatePickerTexts Arabic = new()
    {
        ChooseDate = "اختر تاريخًا", ChangeDate = "غيّر التاريخ، {0}", PreviousMonth = "الشهر السابق", NextMonth = "الشهر التالي",
        Hint = "سنة/شهر/يوم، مثل {0}", Invalid = "أدخل التاريخ بصيغة سنة/شهر/يوم، مثل {0}.",
        OutOfRange = "اختر تاريخًا من {0} إلى {1}.", TooEarly = "اختر {0} أو ما بعده.", TooLate = "اختر {0} أو ما قبله.",
    };

    public static readonly DatePickerTexts Welsh = new()
    {
        ChooseDate = "Dewis dyddiad", ChangeDate = "Newid dyddiad, {0}", PreviousMonth = "Mis blaenorol", NextMonth = "Mis nesaf",
        Hint = "Blwyddyn/mis/diwrnod, er enghraifft {0}", Invalid = "Rhowch ddyddiad fel blwyddyn/mis/diwrnod, er enghraifft {0}.",
        OutOfRange = "Dewiswch ddyddiad o {0} i {1}.", TooEarly = "Dewiswch {0} neu'n hwyrach.", TooLate = "Dewiswch {0} neu'n gynt.",
    };
}
