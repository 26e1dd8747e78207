namespace Ateb.Features.Kb;

/// <summary>The help center's own words in Persian, Arabic, Welsh and English (resource files arrive with the agent workspace).</summary>
internal static partial class HelpCenter
{
    internal static string Text(string lang, string key) => (lang.Split('-')[0], key) switch
    {
        ("fa", "contact") => "تماس با پشتیبانی", ("fa", "name") => "نام", ("fa", "email") => "ایمیل", ("fa", "subject") => "موضوع", ("fa", "message") => "پیام",
        ("fa", "send") => "ارسال", ("fa", "thanks") => "پیام شما رسید. به‌زودی پاسخ می‌دهیم.", ("fa", "ticket") => "شمارهٔ درخواست:",
        ("fa", "bad-email") => "ایمیل درست نیست.", ("fa", "fix") => "لطفاً موارد مشخص‌شده را درست کنید.", ("fa", "helpful") => "این مقاله مفید بود؟",
        ("fa", "related") => "مقاله‌های مرتبط", ("ar", "related") => "مقالات ذات صلة", ("cy", "related") => "Erthyglau cysylltiedig",
        (_, "related") => "Related articles",
        ("fa", "yes") => "بله", ("fa", "no") => "نه", ("fa", "comment") => "نظر (اختیاری)", ("fa", "noted") => "ممنون از بازخورد شما.",
        ("ar", "contact") => "اتصل بالدعم", ("ar", "name") => "الاسم", ("ar", "email") => "البريد الإلكتروني", ("ar", "subject") => "الموضوع", ("ar", "message") => "الرسالة",
        ("ar", "send") => "إرسال", ("ar", "thanks") => "وصلتنا رسالتك وسنرد قريبًا.", ("ar", "ticket") => "رقم الطلب:",
        ("ar", "bad-email") => "البريد الإلكتروني غير صحيح.", ("ar", "fix") => "يرجى تصحيح الحقول المحددة.", ("ar", "helpful") => "هل كانت هذه المقالة مفيدة؟",
        ("ar", "yes") => "نعم", ("ar", "no") => "لا", ("ar", "comment") => "تعليق (اختياري)", ("ar", "noted") => "شكرًا على ملاحظاتك.",
        ("cy", "contact") => "Cysylltu â ni", ("cy", "name") => "Enw", ("cy", "email") => "E-bost", ("cy", "subject") => "Pwnc", ("cy", "message") => "Neges",
        ("cy", "send") => "Anfon", ("cy", "thanks") => "Mae eich neges wedi cyrraedd. Byddwn yn ateb yn fuan.", ("cy", "ticket") => "Rhif y cais:",
        ("cy", "bad-email") => "Nid yw'r cyfeiriad e-bost yn gywir.", ("cy", "fix") => "Cywirwch y meysydd a nodwyd, os gwelwch yn dda.",
        ("cy", "helpful") => "Oedd yr erthygl hon yn ddefnyddiol?", ("cy", "yes") => "Oedd", ("cy", "no") => "Nac oedd", ("cy", "comment") => "Sylw (dewisol)",
        ("cy", "noted") => "Diolch am eich adborth.",
        (_, "contact") => "Contact support", (_, "name") => "Name", (_, "email") => "Email", (_, "subject") => "Subject", (_, "message") => "Message",
        (_, "send") => "Send", (_, "thanks") => "Your message has reached us. We will reply soon.", (_, "ticket") => "Request number:",
        (_, "bad-email") => "The email address is not valid.", (_, "fix") => "Please correct the fields marked.", (_, "helpful") => "Was this article helpful?",
        (_, "yes") => "Yes", (_, "no") => "No", (_, "comment") => "Comment (optional)", (_, "noted") => "Thank you for your feedback.",
        ("fa", "help") => "مرکز راهنما", ("fa", "search") => "جستجو", ("fa", "updated") => "به‌روزرسانی:", ("fa", "back") => "همهٔ مقاله‌ها",
        ("fa", "nothing") => "چیزی پیدا نشد.", ("fa", "empty") => "هنوز مقاله‌ای نیست.",
        ("ar", "help") => "مركز المساعدة", ("ar", "search") => "بحث", ("ar", "updated") => "آخر تحديث:", ("ar", "back") => "كل المقالات",
        ("ar", "nothing") => "لم يُعثر على نتائج.", ("ar", "empty") => "لا توجد مقالات بعد.",
        ("cy", "help") => "Canolfan gymorth", ("cy", "search") => "Chwilio", ("cy", "updated") => "Diweddarwyd", ("cy", "back") => "Pob erthygl",
        ("cy", "nothing") => "Dim canlyniadau.", ("cy", "empty") => "Dim erthyglau eto.",
        (_, "help") => "Help center", (_, "search") => "Search", (_, "updated") => "Updated", (_, "back") => "All articles",
        (_, "nothing") => "Nothing found.", (_, "empty") => "No articles yet.",
        ("fa", "outdated") => "این مقاله قدیمی شده است؟", ("fa", "outdated-note") => "چه چیزی دیگر درست نیست؟ (اختیاری)", ("fa", "outdated-send") => "گزارش قدیمی بودن",
        ("fa", "reported") => "ممنون؛ این مقاله را بازبینی می‌کنیم.",
        ("ar", "outdated") => "هل هذه المقالة قديمة؟", ("ar", "outdated-note") => "ما الذي لم يعد صحيحًا؟ (اختياري)", ("ar", "outdated-send") => "الإبلاغ عن أنها قديمة",
        ("ar", "reported") => "شكرًا؛ سنراجع هذه المقالة.",
        ("cy", "outdated") => "Ydy'r erthygl hon wedi dyddio?", ("cy", "outdated-note") => "Beth sydd ddim yn gywir mwyach? (dewisol)", ("cy", "outdated-send") => "Rhoi gwybod ei bod wedi dyddio",
        ("cy", "reported") => "Diolch; byddwn yn adolygu'r erthygl hon.",
        (_, "outdated") => "Is this article outdated?", (_, "outdated-note") => "What is no longer right? (optional)", (_, "outdated-send") => "Report as outdated",
        (_, "reported") => "Thank you; we will review this article.",
        _ => key,
    };
}
