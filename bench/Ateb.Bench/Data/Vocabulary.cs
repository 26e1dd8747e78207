namespace Ateb.Bench.Data;

/// <summary>
/// Words in four languages with a power-law (Zipf, s = 1.1) frequency: a few very common words, a long tail of
/// rare ones, as in real support mail. Common words are real; the tail is built from each language's syllables.
/// </summary>
internal sealed class Vocabulary
{
    public static readonly string[] Languages = ["en", "fa", "ar", "cy"];

    private static readonly Dictionary<string, string> Common = new()
    {
        ["en"] = "the to and a i you my is it for of order in not have please this with can on account help be we your payment refund but " +
                 "was invoice login password error when are at email app thanks could card delivery still working from customer hi problem " +
                 "charged update subscription cancel support page again after today number reset received shipping issue phone service",
        ["fa"] = "و در به از که این را با است من برای سفارش لطفا حساب پرداخت کارت مشکل ارسال سلام ممنون هنوز نمی‌شود شماره " +
                 "بازپرداخت رمز ورود خطا پیگیری کاربری محصول امروز دیروز تماس پشتیبانی خرید فاکتور اشتراک لغو تحویل کد تایید " +
                 "ایمیل برنامه سایت ثبت نام اطلاعات مبلغ بانک هزینه زمان دوباره کسب‌وکار می‌خواهم کنید",
        ["ar"] = "في من إلى على أن هذا مع عن لم طلب رقم الحساب الدفع المبلغ استرداد مرحبا شكرا كلمة المرور خطأ البطاقة الشحن " +
                 "التوصيل الفاتورة الاشتراك إلغاء الدعم المنتج اليوم أمس الخدمة التطبيق البريد الإلكتروني تسجيل الدخول المشكلة " +
                 "لا يعمل أرجو المساعدة العميل الطلب وصل تالف تحديث الرسوم",
        ["cy"] = "y yn i a o ar mae ac am fy dw ddim wedi gyda eich cyfrif archeb taliad ad-daliad cyfrinair gwall cwsmer cwsmeriaid " +
                 "gwasanaeth helo diolch problem anfoneb tanysgrifiad canslo cefnogaeth cynnyrch heddiw ddoe ffôn ebost ap mewngofnodi " +
                 "dosbarthu cerdyn rhif eto os gwelwch yn dda cymorth siop",
    };

    private static readonly Dictionary<string, string[]> Syllables = new()
    {
        ["en"] = ["ka", "lo", "tri", "mon", "ver", "sel", "dan", "pro", "ex", "tor", "ine", "ble", "ment", "ica", "ous"],
        ["fa"] = ["با", "مه", "ری", "دان", "گاه", "ستا", "نو", "پو", "شی", "کار", "زه", "وی", "فر", "خو", "ند"],
        ["ar"] = ["مو", "كا", "تب", "سل", "عا", "دي", "نو", "فر", "قا", "جم", "حس", "لي", "رو", "طب", "ها"],
        ["cy"] = ["gw", "dd", "llan", "rhy", "cy", "fach", "aeth", "wyr", "fyn", "ell", "dod", "au", "ion", "ydd", "wch"],
    };

    private readonly Dictionary<string, (string[] Words, double[] Cumulative)> _byLanguage = [];

    public Vocabulary(int size = 5000, int seed = 7)
    {
        var random = new Random(seed);
        foreach (var language in Languages)
        {
            var words = new List<string>(Common[language].Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct());
            var seen = new HashSet<string>(words);
            var syllables = Syllables[language];
            while (words.Count < size)
            {
                var word = string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => syllables[random.Next(syllables.Length)]));
                if (seen.Add(word))
                {
                    words.Add(word);
                }
            }
            var cumulative = new double[words.Count];
            var total = 0.0;
            for (var i = 0; i < words.Count; i++)
            {
                total += 1.0 / Math.Pow(i + 1, 1.1);
                cumulative[i] = total;
            }
            for (var i = 0; i < cumulative.Length; i++)
            {
                cumulative[i] /= total;
            }
            _byLanguage[language] = ([.. words], cumulative);
        }
    }

    public string Word(string language, Random random)
    {
        var (words, cumulative) = _byLanguage[language];
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return words[Math.Min(index < 0 ? ~index : index, words.Length - 1)];
    }

    public string Sentence(string language, Random random, int minWords, int maxWords)
    {
        var count = random.Next(minWords, maxWords + 1);
        var words = new string[count];
        for (var i = 0; i < count; i++)
        {
            words[i] = Word(language, random);
        }
        return string.Join(' ', words);
    }

    /// <summary>The word of a language at a frequency rank (0 is the commonest).</summary>
    public string Ranked(string language, int rank) => _byLanguage[language].Words[rank];

    /// <summary>The rank-1 word and a rank ~3000 word, for search workloads that want a very common and a rare term.</summary>
    public (string Common, string Rare) Probe(string language) => (_byLanguage[language].Words[0], _byLanguage[language].Words[3000]);
}
