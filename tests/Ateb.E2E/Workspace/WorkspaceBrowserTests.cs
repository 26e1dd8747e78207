using System.Globalization;
using System.Text.RegularExpressions;
using static Ateb.E2E.Workspace.WorkspaceSession;

namespace Ateb.E2E.Workspace;

/// <summary>The agent workspace in a real browser: the day's main flow, keyboard, bulk actions and live counts.</summary>
public sealed class WorkspaceBrowserTests(AtebServerFixture server, BrowserFixture browser) : BrowserTest(server, browser)
{
    [Fact]
    public async Task Agent_signs_in_opens_a_ticket_replies_adds_a_note_assigns_and_solves()
    {
        var number = await NewTicketAsync(Server, "Printer on fire " + Guid.NewGuid().ToString("N")[..6]);
        await SignInAsync(Page, fresh: true);
        await Page.Locator("[data-view=unsolved]").ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("All unsolved tickets");
        await ScreenshotAsync(Page, "workspace-inbox-en-desktop");
        await AssertAccessibleAsync(Page, "workspace-inbox-en");
        await Page.Locator($"[data-row='{number}'] a[data-open]").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/tickets/{number}$"));
        await Expect(Page.Locator("[data-testid=timeline]")).ToContainTextAsync("Hello, I need help.");

        await Page.Locator("#composer-text").FillAsync("Please unplug it first.");
        await Page.Locator("[data-send]").ClickAsync();
        await Expect(Page.Locator("[data-kind=public]").Last).ToContainTextAsync("Please unplug it first.");

        await Page.Locator("[data-action=note]").ClickAsync();
        await Page.Locator("#composer-text").FillAsync("Customer sounds worried; call them.");
        await Page.Locator("[data-send]").ClickAsync();
        await Expect(Page.Locator("[data-kind=note]").Last).ToContainTextAsync("Customer sounds worried");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Take it" }).ClickAsync();
        await Expect(Page.Locator("[data-event=updated]").Last).ToContainTextAsync("assigned the ticket to Demo Owner");
        await Page.Locator("#p-status").SelectOptionAsync("Solved");
        await Expect(Page.Locator("[data-testid=ticket-status]")).ToHaveTextAsync("Solved");
        await ScreenshotAsync(Page, "workspace-ticket-en-desktop");
        await AssertAccessibleAsync(Page, "workspace-ticket-en");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task A_canned_response_goes_into_the_composer_in_the_chosen_tone_with_placeholders_filled()
    {
        var number = await NewTicketAsync(Server, "Where is my refund?");
        await SignInAsync(Page);
        await GoAsync(Page, $"/tickets/{number}");
        await Page.Locator("[data-action=canned]").ClickAsync();
        await Page.Locator("#response-q").PressSequentiallyAsync("refund");
        await Page.Locator("#response-tone").SelectOptionAsync("Formal");
        await Expect(Page.Locator("#response-picker button[data-response]")).ToHaveCountAsync(1);
        await Page.Locator("#response-picker button", new() { HasText = "Refund on its way" }).ClickAsync();
        await Expect(Page.Locator("#composer-text")).ToHaveValueAsync(new Regex($"^Dear E2E Customer, .*request #{number} .*Demo Owner, Demo$"));
    }

    [Fact]
    public async Task Keyboard_moves_through_the_inbox_and_opens_a_ticket()
    {
        await NewTicketAsync(Server, "Keyboard ticket");
        await SignInAsync(Page);
        await GoAsync(Page, "/?view=unsolved");
        await Expect(Page.Locator("[data-row]").First).ToBeVisibleAsync();
        await Page.Keyboard.PressAsync("/");
        await Expect(Page.Locator("#global-search")).ToBeFocusedAsync();
        await Page.Locator("h1").ClickAsync();
        await Page.Keyboard.PressAsync("j");
        await Expect(Page.Locator("[data-row] a[data-open]").First).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("j");
        await Expect(Page.Locator("[data-row] a[data-open]").Nth(1)).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new Regex("/tickets/\\d+$"));
        await Expect(Page.Locator("#composer-text")).ToBeVisibleAsync();
        await Page.Keyboard.PressAsync("n");
        await Expect(Page.Locator("#composer-text")).ToBeFocusedAsync();
        await Expect(Page.Locator("[data-action=note]")).ToHaveAttributeAsync("aria-pressed", "true");
    }

    [Fact]
    public async Task Bulk_assign_changes_every_selected_ticket()
    {
        var first = await NewTicketAsync(Server, "Bulk one");
        var second = await NewTicketAsync(Server, "Bulk two");
        await SignInAsync(Page);
        await GoAsync(Page, "/?view=unassigned");
        await Page.Locator($"[data-row='{first}'] input[type=checkbox]").CheckAsync();
        await Page.Locator($"[data-row='{second}'] input[type=checkbox]").CheckAsync();
        await Expect(Page.Locator("[data-testid=bulk]")).ToContainTextAsync("2 selected");
        await Page.Locator("#bulk-assign").SelectOptionAsync("me");
        await Page.Locator("[data-testid=bulk] button.primary").ClickAsync();
        // Assigned tickets leave the "unassigned" view.
        await Expect(Page.Locator($"[data-row='{first}']")).ToHaveCountAsync(0);
        await Expect(Page.Locator($"[data-row='{second}']")).ToHaveCountAsync(0);
        await GoAsync(Page, "/?view=mine");
        await Expect(Page.Locator($"[data-row='{first}']")).ToHaveCountAsync(1);
        await Expect(Page.Locator($"[data-row='{second}']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task View_counts_are_pushed_when_a_ticket_arrives()
    {
        await SignInAsync(Page);
        var badge = Page.Locator("[data-view=unassigned] .badge");
        var before = long.Parse(await badge.GetAttributeAsync("data-count") ?? "0", CultureInfo.InvariantCulture);
        // Nothing on this page polls; the new count arrives over the circuit when the ticket is saved.
        await NewTicketAsync(Server, "Live count");
        await Expect(badge).ToHaveAttributeAsync("data-count", (before + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task Light_agent_can_only_write_internal_notes()
    {
        var number = await NewTicketAsync(Server, "Light agent ticket");
        await SignInAsync(Page, Sam);
        await GoAsync(Page, $"/tickets/{number}");
        await Expect(Page.Locator("[data-action=note]")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-action=reply]")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#p-status")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task Search_finds_tickets_as_you_type()
    {
        var number = await NewTicketAsync(Server, "Zeppelin delivery delayed");
        await SignInAsync(Page);
        await Page.Locator("#global-search").PressSequentiallyAsync("zeppel");
        var hit = Page.Locator("#global-search-results a", new() { HasText = "Zeppelin delivery delayed" });
        await Expect(hit).ToBeVisibleAsync();
        await hit.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/tickets/{number}$"));
    }
}
