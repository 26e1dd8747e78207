using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ateb.E2E.HelpCenter;

/// <summary>
/// Knowledge-base articles for the help-center tests, written once per server through the REST API as the demo owner
/// (the demo seed has tickets but no articles). Their words come from the demo's tickets: a late order and its
/// tracking code, a sign-in problem. Returns when search finds them, so tests need not wait for the index.
/// </summary>
public sealed record HelpCenterData(Guid Tracking, Guid SignIn, Guid Refund)
{
    public const string TrackingFa = "پیگیری سفارش و کد رهگیری";
    public const string TrackingEn = "Tracking your order";
    public const string SignInFa = "مشکل ورود به حساب کاربری";
    public const string SignInEn = "Can't sign in to your account";

    private static readonly ConcurrentDictionary<AtebServer, Lazy<Task<HelpCenterData>>> Seeded = new();

    public static Task<HelpCenterData> EnsureAsync(AtebServer server) =>
        Seeded.GetOrAdd(server, s => new Lazy<Task<HelpCenterData>>(() => SeedAsync(s))).Value;

    private static async Task<HelpCenterData> SeedAsync(AtebServer server)
    {
        using var owner = await server.SignInApiAsync();
        var orders = await PostAsync(owner, "/api/v1/kb/categories", new
        {
            names = new[] { new { language = "en", name = "Orders and delivery" }, new { language = "fa", name = "سفارش و ارسال" }, new { language = "ar", name = "الطلبات والتوصيل" } },
        });
        var account = await PostAsync(owner, "/api/v1/kb/categories", new
        {
            names = new[] { new { language = "en", name = "Your account" }, new { language = "fa", name = "حساب کاربری" }, new { language = "cy", name = "Eich cyfrif" } },
        });

        var tracking = await ArticleAsync(owner, orders, "fa", TrackingFa, """
            سفارش شما معمولاً ظرف سه روز کاری ارسال می‌شود. پس از ارسال، **کد رهگیری** برایتان پیامک می‌شود.

            1. وارد حساب کاربری خود شوید.
            2. در بخش «سفارش‌های من» روی سفارش بزنید.
            3. کد رهگیری را در سایت پست وارد کنید.

            اگر سفارش شما پس از دو هفته نرسیده است، از همین صفحه با پشتیبانی تماس بگیرید.
            """,
            ("en", TrackingEn, """
                Orders usually leave within three working days. Once yours has left, we text you its **tracking code**.

                1. Sign in to your account.
                2. Open *My orders* and choose the order.
                3. Enter the tracking code on the carrier's site.

                If your order has not arrived after two weeks, contact support from this page.
                """),
            ("ar", "تتبع الطلب", "يُشحن طلبك عادةً خلال ثلاثة أيام عمل، ونرسل إليك **رمز التتبع** برسالة نصية."));
        var signIn = await ArticleAsync(owner, account, "fa", SignInFa,
            "اگر نمی‌توانید وارد حساب کاربری‌تان شوید، از پیوند «فراموشی رمز عبور» یک رمز عبور جدید بخواهید. اگر پیامک یا ایمیل نرسید، پوشهٔ هرزنامه را ببینید.",
            ("en", SignInEn, "If you cannot sign in, ask for a new password with the *Forgotten password* link. No email? Look in your spam folder."),
            ("cy", "Methu mewngofnodi", "Os na allwch fewngofnodi, gofynnwch am gyfrinair newydd gyda'r ddolen *Wedi anghofio'ch cyfrinair*."));
        var refund = await ArticleAsync(owner, orders, "en", "Refunds for damaged items",
            "If an item arrives damaged, reply to your order email with a photo and we refund it within five working days.",
            ("ar", "استرداد المبلغ للمنتجات التالفة", "إذا وصل المنتج تالفاً، أرسل لنا صورة وسنعيد المبلغ خلال خمسة أيام عمل."));

        // Search is indexed shortly after a save; wait until the public search finds both languages.
        using var visitor = server.CreateClient();
        await WaitUntilFoundAsync(visitor, "fa", "رهگیری", tracking);
        await WaitUntilFoundAsync(visitor, "en", "tracking", tracking);
        return new HelpCenterData(tracking, signIn, refund);
    }

    private static async Task<Guid> ArticleAsync(HttpClient owner, Guid category, string language, string title, string markdown,
        params (string Language, string Title, string Markdown)[] translations)
    {
        var id = await PostAsync(owner, "/api/v1/kb/articles", new { categoryId = category, translation = new { language, title, markdown, publish = true } });
        foreach (var t in translations)
        {
            using var response = await owner.PutAsJsonAsync($"/api/v1/kb/articles/{id}/translations/{t.Language}", new { title = t.Title, markdown = t.Markdown, publish = true });
            await EnsureAsync(response);
        }
        return id;
    }

    private static async Task<Guid> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        await EnsureAsync(response);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetGuid();
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task WaitUntilFoundAsync(HttpClient visitor, string lang, string q, Guid article)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var found = await visitor.GetStringAsync($"/help/{lang}/search.json?q={Uri.EscapeDataString(q)}");
            if (found.Contains(article.ToString(), StringComparison.Ordinal))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/help/{lang}/search.json?q={q} did not find article {article} within 30 s: {found}");
            }
            await Task.Delay(200);
        }
    }
}
