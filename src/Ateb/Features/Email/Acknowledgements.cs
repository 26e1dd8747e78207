using System.Globalization;
using Ateb.Infrastructure.Text;

namespace Ateb.Features.Email;

/// <summary>The automatic acknowledgement and the reply subject prefix, in the customer's language (English when we have none).</summary>
internal static class Acknowledgements
{
    public static string Text(string language, long ticketNumber, string brand)
    {
        var number = ticketNumber.ToString(CultureInfo.InvariantCulture);
        return Base(language) switch
        {
            "fa" => $"سلام،\n\nپیام شما به دست ما رسید و با شمارهٔ درخواست #{Digits.ToPersian(number)} ثبت شد. به‌زودی پاسخ می‌دهیم. اگر چیزی اضافه دارید، کافی است به همین ایمیل پاسخ دهید.\n\n{brand}",
            "ar" => $"مرحبًا،\n\nوصلتنا رسالتك وسُجّلت برقم الطلب #{Digits.ToArabicIndic(number)}. سنرد عليك قريبًا. إن أردت إضافة شيء، فما عليك إلا الرد على هذه الرسالة.\n\n{brand}",
            "cy" => $"Helo,\n\nMae eich neges wedi ein cyrraedd ac mae wedi'i chofnodi fel cais #{number}. Byddwn yn ateb yn fuan. I ychwanegu rhywbeth, atebwch y neges hon.\n\n{brand}",
            _ => $"Hello,\n\nWe have received your message and logged it as request #{number}. We will reply soon. To add anything, just reply to this email.\n\n{brand}",
        };
    }

    public static string Subject(string language, long ticketNumber, string subject)
    {
        var received = Base(language) switch
        {
            "fa" => "دریافت شد",
            "ar" => "تم الاستلام",
            "cy" => "Derbyniwyd",
            _ => "Received",
        };
        return $"[#{ticketNumber}] {received}: {subject}";
    }

    private static string Base(string language) => language.Split('-', '_')[0].ToLowerInvariant();
}
