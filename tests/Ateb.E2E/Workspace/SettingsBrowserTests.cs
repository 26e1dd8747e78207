using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Ateb.E2E.Workspace.WorkspaceSession;

namespace Ateb.E2E.Workspace;

/// <summary>
/// Settings in a real browser: the workspace's business hours with a holiday picked in the date picker, an agent's own
/// calendar, canned responses and merging duplicate customers. The demo server is shared, so each test makes its own
/// agents and customers, and puts back what is workspace-wide (business hours, a demo agent's calendar) when it ends.
/// </summary>
public sealed class SettingsBrowserTests(AtebServerFixture server, BrowserFixture browser) : BrowserTest(server, browser)
{
    private const string PersianDigits = "۰۱۲۳۴۵۶۷۸۹";

    [Fact]
    public async Task An_admin_sets_business_hours_with_a_holiday_picked_in_the_date_picker_and_finds_them_kept()
    {
        var api = await ApiAsync(Server);
        var original = (await GetJsonAsync(api, "/api/v1/workspace")).GetProperty("businessHours").Clone();
        var admin = await NewAgentAsync(api, "admin");
        var persianAdmin = await NewAgentAsync(api, "admin");
        try
        {
            // Start from no hours at all (always open), whatever another run left.
            await PatchAsync(api, "/api/v1/workspace", new { businessHours = new { } });
            await SignInAsync(Page, admin.Email);
            await GoAsync(Page, "/admin/settings");
            await Expect(Page.Locator("[data-testid=hours-status] [data-open=true]")).ToBeVisibleAsync();

            // A mistake is named beside its input, and in the alert that links to it.
            await Page.Locator("[data-day=monday] [data-action=add-hours]").ClickAsync();
            await Expect(Page.Locator("#bh-monday-0-start")).ToHaveValueAsync("09:00");
            await Page.Locator("#bh-monday-0-end").FillAsync("08:00");
            await Page.Locator("[data-testid=workspace-save]").ClickAsync();
            var mistake = Page.Locator(".field-error[data-field='businessHours.weekly.monday[0].end']");
            await Expect(mistake).ToContainTextAsync("must be after start");
            await Expect(Page.Locator("#bh-monday-0-end")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(Page.Locator("#workspace-error a[href$='#bh-monday-0-end']")).ToContainTextAsync("Monday 1: closes at");

            await Page.Locator("#bh-monday-0-end").FillAsync("17:30");
            await Page.Locator("[data-action=copy-monday]").ClickAsync();
            await Expect(Page.Locator("#bh-friday-0-end")).ToHaveValueAsync("17:30");
            await Page.Locator("[data-day=saturday] [data-action=all-day]").ClickAsync();
            await Expect(Page.Locator("#bh-saturday-0-end")).ToHaveValueAsync("24:00");

            // A holiday on the 15th of next month, picked in the calendar grid.
            var holiday = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(1);
            holiday = new DateOnly(holiday.Year, holiday.Month, 15);
            await Page.Locator("[data-action=add-special-day]").ClickAsync();
            var exception = Page.Locator("[data-exception='0']");
            await exception.Locator(".date-picker-toggle").ClickAsync();
            await exception.Locator(".date-picker-nav").Last.ClickAsync();
            await exception.Locator($"button[data-date='{Iso(holiday)}']").ClickAsync();
            await Expect(Page.Locator("#bh-x0-date")).ToHaveValueAsync(holiday.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture));
            await Page.Locator("#bh-x0-label").FillAsync("E2E holiday");
            await Expect(Page.Locator("#bh-x0-closed")).ToBeCheckedAsync();
            await Page.Locator("[data-testid=workspace-save]").ClickAsync();
            await Expect(Page.Locator("[data-testid=workspace-saved]")).ToHaveTextAsync("Saved.");
            await Expect(mistake).ToHaveCountAsync(0);
            await ScreenshotsAsync(Page, "settings-workspace-en");

            // Kept: a new page load reads them back from the database.
            await GoAsync(Page, "/admin/settings");
            await Expect(Page.Locator("#bh-monday-0-start")).ToHaveValueAsync("09:00");
            await Expect(Page.Locator("#bh-monday-0-end")).ToHaveValueAsync("17:30");
            await Expect(Page.Locator("#bh-thursday-0-end")).ToHaveValueAsync("17:30");
            await Expect(Page.Locator("#bh-saturday-0-end")).ToHaveValueAsync("24:00");
            await Expect(Page.Locator("#bh-sunday-0-start")).ToHaveCountAsync(0);
            await Expect(Page.Locator("#bh-x0-date")).ToHaveValueAsync(holiday.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture));
            await Expect(Page.Locator("#bh-x0-label")).ToHaveValueAsync("E2E holiday");
            await Expect(Page.Locator("#bh-x0-closed")).ToBeCheckedAsync();
            var saved = (await GetJsonAsync(api, "/api/v1/workspace")).GetProperty("businessHours");
            Assert.Equal(Iso(holiday), saved.GetProperty("exceptions")[0].GetProperty("date").GetString());
            await AssertAccessibleAsync(Page, "settings-workspace-en");

            await GoAsync(Page, "/settings/profile");
            await ScreenshotsAsync(Page, "settings-profile-en");

            // A Persian admin reads the same holiday in the Solar Hijri calendar, and picks another day in it.
            await SignInAsync(Page, persianAdmin.Email);
            await ChangeLanguageAsync(Page, "fa");
            await GoAsync(Page, "/admin/settings");
            await Expect(Page.Locator("#bh-x0-date")).ToHaveValueAsync(SolarHijri(holiday));
            await Expect(Page.Locator("#bh-monday-0-end")).ToHaveValueAsync("۱۷:۳۰");
            await Page.Locator("[data-action=add-special-day]").ClickAsync();
            var second = Page.Locator("[data-exception='1']");
            await second.Locator(".date-picker-toggle").ClickAsync();
            await Expect(second.Locator(".date-picker-heading")).ToContainTextAsync(new PersianCalendar().GetYear(DateTime.UtcNow).ToString(CultureInfo.InvariantCulture)
                .Aggregate("", (s, c) => s + PersianDigits[c - '0']));
            var month = await second.Locator(".date-picker-heading").InnerTextAsync();
            await second.Locator(".date-picker-nav").Last.ClickAsync();
            // Read the day only once the grid shows the next month, or the click lands on a re-rendered button.
            await Expect(second.Locator(".date-picker-heading")).Not.ToHaveTextAsync(month);
            var picked = second.Locator("button[data-date]").First;
            var pickedIso = await picked.GetAttributeAsync("data-date") ?? throw new InvalidOperationException("no day to pick");
            await picked.ClickAsync();
            await Expect(Page.Locator("#bh-x1-date")).ToHaveValueAsync(SolarHijri(DateOnly.ParseExact(pickedIso, "yyyy-MM-dd", CultureInfo.InvariantCulture)));
            // First of a Solar Hijri month: on the 1st, whatever the Gregorian date.
            Assert.EndsWith("/۰۱", await Page.Locator("#bh-x1-date").InputValueAsync());
            await Page.Locator("[data-exception='1'] label.check").ClickAsync();
            await Page.Locator("#bh-x1-0-start").FillAsync("۱۰:۰۰");
            await Page.Locator("#bh-x1-0-end").FillAsync("۱۴:۰۰");
            await Page.Locator("[data-testid=workspace-save]").ClickAsync();
            await Expect(Page.Locator("[data-testid=workspace-saved]")).ToBeVisibleAsync();
            var both = (await GetJsonAsync(api, "/api/v1/workspace")).GetProperty("businessHours").GetProperty("exceptions");
            var special = both.EnumerateArray().Single(e => e.GetProperty("date").GetString() == pickedIso);
            Assert.Equal("10:00", special.GetProperty("intervals")[0].GetProperty("start").GetString());
            await ScreenshotsAsync(Page, "settings-workspace-fa");
            await AssertAccessibleAsync(Page, "settings-workspace-fa");
            AssertNoBrowserErrors();
        }
        finally
        {
            await PatchAsync(api, "/api/v1/workspace", new { businessHours = original });
            await DeactivateAsync(api, admin);
            await DeactivateAsync(api, persianAdmin);
        }
    }

    [Fact]
    public async Task A_Persian_agent_reads_dates_in_the_Gregorian_calendar_with_Persian_digits_then_goes_back_to_the_calendar_of_her_language()
    {
        var number = await NewTicketAsync(Server, "Calendar choice " + Guid.NewGuid().ToString("N")[..6]);
        var now = DateTime.UtcNow;
        var gregorianYear = Persian(now.Year);
        var solarYear = Persian(new PersianCalendar().GetYear(now));
        var reset = false;
        await SignInAsync(Page, Sara);
        try
        {
            await GoAsync(Page, "/settings/profile");
            await Expect(Page.Locator("#pref-calendar option[value='']")).ToContainTextAsync("(");
            await Page.Locator("#pref-calendar").SelectOptionAsync("Gregorian");
            // The preview follows the choice before it is saved.
            await Expect(Page.Locator("[data-testid=preview-date]")).ToContainTextAsync(gregorianYear);
            await Page.Locator("[data-testid=preferences-save]").ClickAsync();
            await Expect(Page.Locator("[data-testid=preferences-saved]")).ToBeVisibleAsync();
            await ScreenshotsAsync(Page, "settings-profile-fa");
            await AssertAccessibleAsync(Page, "settings-profile-fa");

            // In the same circuit (no reload): the session's clock was read again.
            await Page.Locator("[data-view=unsolved]").ClickAsync();
            await Page.Locator($"[data-row='{number}'] a[data-open]").ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex($"/tickets/{number}$"));
            var when = Page.Locator("[data-testid=timeline] article time").First;
            await Expect(when).ToContainTextAsync(gregorianYear);
            Assert.DoesNotMatch("[0-9]", await when.InnerTextAsync());

            await GoAsync(Page, "/settings/profile");
            await Expect(Page.Locator("#pref-calendar")).ToHaveValueAsync("Gregorian");
            await Page.Locator("#pref-calendar").SelectOptionAsync("");
            await Page.Locator("[data-testid=preferences-save]").ClickAsync();
            await Expect(Page.Locator("[data-testid=preferences-saved]")).ToBeVisibleAsync();
            reset = true;
            await GoAsync(Page, $"/tickets/{number}");
            await Expect(Page.Locator("[data-testid=timeline] article time").First).ToContainTextAsync(solarYear);
            AssertNoBrowserErrors();
        }
        finally
        {
            if (!reset)
            {
                using var sara = await Server.SignInApiAsync(Sara);
                await PatchAsync(sara, "/api/v1/auth/me/preferences", new { calendar = (string?)null, timeZone = (string?)null });
            }
        }
    }

    [Fact]
    public async Task An_agent_merges_a_duplicate_customer_and_its_ticket_moves_over()
    {
        var api = await ApiAsync(Server);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (keptNumber, keptId) = await TicketAsync(api, $"Merge keep {tag}", $"keep-{tag}@example.test", $"Nasrin Keep {tag}");
        var (movedNumber, duplicateId) = await TicketAsync(api, $"Merge duplicate {tag}", $"dup-{tag}@example.test", $"Nasrin Duplicate {tag}");
        var agent = await NewAgentAsync(api, "agent");
        try
        {
            await SignInAsync(Page, agent.Email);
            await GoAsync(Page, $"/customers/{keptId}");
            await Page.Locator("#customer-notes").FillAsync("Prefers email over phone.");
            await Page.Locator("[data-testid=customer-save]").ClickAsync();
            await Expect(Page.Locator("[data-testid=customer-saved]")).ToBeVisibleAsync();

            await Page.Locator("#merge-q").FillAsync($"dup-{tag}");
            await Page.Locator("[data-testid=customer-merge] button[type=submit]").ClickAsync();
            var candidate = Page.Locator($"[data-candidate='{duplicateId}']");
            await Expect(candidate).ToContainTextAsync($"dup-{tag}@example.test");
            await Expect(candidate).ToContainTextAsync("Tickets: 1");
            await candidate.Locator("[data-action=merge]").ClickAsync();
            await Expect(Page.Locator("#confirm-merge")).ToBeFocusedAsync();
            await ScreenshotsAsync(Page, "settings-customer-merge-en");
            await Page.Locator("#confirm-merge").ClickAsync();
            await Expect(Page.Locator("[data-testid=customer-notice]")).ToHaveTextAsync($"\u2068Nasrin Duplicate {tag}\u2069 was merged into this customer.");
            await Expect(Page.Locator($"[data-testid=customer-tickets] [data-ticket='{movedNumber}']")).ToBeVisibleAsync();
            await Expect(Page.Locator($"[data-testid=customer-tickets] [data-ticket='{keptNumber}']")).ToBeVisibleAsync();
            await Expect(Page.Locator("[data-testid=customer-identities]")).ToContainTextAsync($"dup-{tag}@example.test");
            await AssertAccessibleAsync(Page, "settings-customer-en");

            var kept = await GetJsonAsync(api, $"/api/v1/customers/{keptId}");
            Assert.Contains(movedNumber, kept.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("number").GetInt64()));
            Assert.Equal(keptId, (await GetJsonAsync(api, $"/api/v1/customers/{duplicateId}")).GetProperty("mergedIntoId").GetGuid());

            // The duplicate's old page says where everything went.
            await GoAsync(Page, $"/customers/{duplicateId}");
            await Expect(Page.Locator("[data-testid=customer-merged]")).ToBeVisibleAsync();
            await ScreenshotsAsync(Page, "settings-customer-merged-en");
            await Page.Locator("[data-testid=customer-survivor]").ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex($"/customers/{keptId}$"));

            // The ticket's customer panel shows the notes, with the way to change them.
            await GoAsync(Page, $"/tickets/{movedNumber}");
            await Expect(Page.Locator("[data-testid=customer-panel-notes]")).ToHaveTextAsync("Prefers email over phone.");
            await Expect(Page.Locator("[data-testid=edit-notes]")).ToHaveAttributeAsync("href", $"/customers/{keptId}#customer-notes");
            await ScreenshotAsync(Page, "settings-ticket-notes-en-desktop");

            // The same pages for a Persian agent.
            await ChangeLanguageAsync(Page, "fa");
            await GoAsync(Page, $"/customers/{keptId}");
            await Expect(Page.Locator("#customer-notes")).ToHaveValueAsync("Prefers email over phone.");
            await ScreenshotsAsync(Page, "settings-customer-fa");
            await GoAsync(Page, $"/customers/{duplicateId}");
            await Expect(Page.Locator("[data-testid=customer-merged]")).ToBeVisibleAsync();
            await ScreenshotsAsync(Page, "settings-customer-merged-fa");
            AssertNoBrowserErrors();
        }
        finally
        {
            await DeactivateAsync(api, agent);
        }
    }

    [Fact]
    public async Task An_agent_writes_a_canned_response_with_placeholders_previews_edits_and_deletes_it()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await SignInAsync(Page, Sara);
        await GoAsync(Page, "/admin/canned-responses");
        await Expect(Page.Locator("[data-testid=response-list]")).ToBeVisibleAsync();
        await Page.Locator("[data-action=new-response]").ClickAsync();
        await Expect(Page.Locator("#cr-title")).ToBeFocusedAsync();
        await Page.Locator("#cr-title").FillAsync($"پیگیری سفارش {tag}");
        await Page.Locator("#cr-shortcut").FillAsync($"e2e-{tag}");
        await Page.Locator("#cr-friendly").FillAsync("سلام ");
        await Page.Locator("[data-placeholder='customer.first_name']").ClickAsync();
        // The insertion comes back over the circuit: type on only once it is there, as a person would see it first.
        await Expect(Page.Locator("#cr-friendly")).ToHaveValueAsync("سلام {{customer.first_name}}");
        await Page.Locator("#cr-friendly").PressSequentiallyAsync(" عزیز، سفارش شما ارسال شد.");
        await Expect(Page.Locator("#cr-friendly")).ToHaveValueAsync("سلام {{customer.first_name}} عزیز، سفارش شما ارسال شد.");
        await Expect(Page.Locator("[data-preview=friendly]")).ToHaveTextAsync("سلام مریم عزیز، سفارش شما ارسال شد.");
        // An unknown placeholder is refused, beside the field.
        await Page.Locator("#cr-formal").FillAsync("{{customer.nickname}}");
        await Page.Locator("[data-testid=response-save]").ClickAsync();
        await Expect(Page.Locator("#response-form-error")).ToContainTextAsync("{{customer.nickname}}");
        await Expect(Page.Locator("#cr-formal")).ToHaveAttributeAsync("aria-invalid", "true");
        await Page.Locator("#cr-formal").FillAsync("");
        await Page.Locator("[data-placeholder='customer.name']").ClickAsync();
        await Expect(Page.Locator("#cr-formal")).ToHaveValueAsync("{{customer.name}}");
        await ScreenshotsAsync(Page, "settings-canned-fa");
        await Page.Locator("#cr-formal").PressSequentiallyAsync(" گرامی، سفارش شما ارسال شد.");
        await Page.Locator("[data-testid=response-save]").ClickAsync();
        await Expect(Page.Locator("[data-testid=response-saved]")).ToBeVisibleAsync();
        var row = Page.Locator("[data-testid=response-list] tr", new() { HasText = $"e2e-{tag}" });
        await Expect(row).ToContainTextAsync("فارسی");

        await row.Locator("[data-action=edit]").ClickAsync();
        await Page.Locator("#cr-title").FillAsync($"ارسال سفارش {tag}");
        await Page.Locator("[data-testid=response-save]").ClickAsync();
        await Expect(row).ToContainTextAsync($"ارسال سفارش {tag}");
        await AssertAccessibleAsync(Page, "settings-canned-fa");

        await row.Locator("[data-action=delete]").ClickAsync();
        await Expect(Page.Locator("#confirm-delete-response")).ToBeFocusedAsync();
        await Page.Locator("#confirm-delete-response").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        AssertNoBrowserErrors();
    }

    private sealed record TestAgent(Guid Id, string Email);

    /// <summary>An agent of this test's own: its sign-ins do not count against the demo owner's sign-in throttle.</summary>
    private static async Task<TestAgent> NewAgentAsync(HttpClient api, string role)
    {
        var email = $"e2e-{role}-{Guid.NewGuid():N}@example.test";
        using var response = await api.PostAsJsonAsync("/api/v1/agents", new { email, name = $"E2E {role}", password = AtebServer.DemoPassword, role });
        await EnsureAsync(response);
        return new TestAgent((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), email);
    }

    private static async Task DeactivateAsync(HttpClient api, TestAgent agent) =>
        await PatchAsync(api, $"/api/v1/agents/{agent.Id}", new { active = false });

    /// <summary>A ticket from a customer of this test's own; its number and the customer's id.</summary>
    private static async Task<(long Number, Guid CustomerId)> TicketAsync(HttpClient api, string subject, string email, string name)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/tickets", new { subject, requester = new { email, name }, message = new { text = "Hello." } });
        await EnsureAsync(response);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("number").GetInt64(), json.GetProperty("requester").GetProperty("id").GetGuid());
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        await EnsureAsync(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task PatchAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PatchAsJsonAsync(path, body);
        await EnsureAsync(response);
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: "
                + await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The language form on the profile page (a plain post that sets the culture cookie).</summary>
    private static async Task ChangeLanguageAsync(IPage page, string language)
    {
        await GoAsync(page, "/settings/profile");
        await page.Locator("#language-choice").SelectOptionAsync(language);
        await page.Locator("form[action='/language'] button[type=submit]").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await LiveAsync(page);
    }

    /// <summary>The page at desktop width and at phone width (390 px), as {name}-desktop.png and {name}-phone.png.</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        var size = page.ViewportSize!;
        await ScreenshotAsync(page, $"{name}-desktop");
        await page.SetViewportSizeAsync(Viewports.Phone.Width, Viewports.Phone.Height);
        await ScreenshotAsync(page, $"{name}-phone");
        await page.SetViewportSizeAsync(size.Width, size.Height);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Persian(int number) => string.Concat(number.ToString(CultureInfo.InvariantCulture).Select(c => PersianDigits[c - '0']));

    private static string SolarHijri(DateOnly date)
    {
        var calendar = new PersianCalendar();
        var at = date.ToDateTime(TimeOnly.MinValue);
        var text = string.Create(CultureInfo.InvariantCulture, $"{calendar.GetYear(at):0000}/{calendar.GetMonth(at):00}/{calendar.GetDayOfMonth(at):00}");
        return string.Concat(text.Select(c => char.IsAsciiDigit(c) ? PersianDigits[c - '0'] : c));
    }
}
