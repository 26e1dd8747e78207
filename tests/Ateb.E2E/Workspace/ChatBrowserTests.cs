using Ateb.Features.Chat;
using static Ateb.E2E.Workspace.WorkspaceSession;

namespace Ateb.E2E.Workspace;

/// <summary>
/// Live chat from the agent's side in the browser: a visitor (the .NET SignalR client, as the widget talks to
/// /hubs/chat) starts a chat, the agent is offered it on whatever page they are, accepts, and they talk: text, links,
/// typing, read marks, notes the visitor never gets; transfer to a colleague; ending and the rating; Persian RTL.
/// </summary>
public sealed class ChatBrowserTests(AtebServerFixture server, BrowserFixture browser) : BrowserTest(server, browser)
{
    [Fact]
    public async Task An_agent_is_offered_a_visitors_chat_accepts_it_and_they_talk_until_it_ends_with_a_rating()
    {
        await SignInAsync(Page);
        await GoAsync(Page, "/customers");
        await AvailableAsync(Page);
        await using var visitor = await ChatVisitorClient.ConnectAsync(Server, "Nia Visitor");
        var first = await visitor.SendAsync("Hello, my order is late. It is https://shop.example/orders/17.");

        // The offer pops up on the page the agent is on, with a countdown; the tab's title says so too.
        var offer = Page.Locator($"[data-testid=chat-offers] [data-offer='{first.Conversation.Id}']");
        await Expect(offer).ToContainTextAsync("Nia Visitor");
        await Expect(offer).ToContainTextAsync("Hello, my order is late.");
        await Expect(offer.Locator("[data-testid=offer-countdown]")).ToContainTextAsync("0:");
        await Expect(Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"^\(1\) "));
        // It chimed, once (app.js counts the chimes it played).
        await Page.WaitForFunctionAsync("() => window.atebChimes === 1");
        await ScreenshotAsync(Page, "chat-offer-en");
        await offer.Locator("[data-action=accept-offer]").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/chats/{first.Conversation.Id}$"));
        var log = Page.Locator("[data-testid=chat-log]");
        await Expect(log).ToContainTextAsync("Hello, my order is late.");
        // The link is made from the escaped text.
        await Expect(log.Locator("a[href='https://shop.example/orders/17']")).ToHaveTextAsync("https://shop.example/orders/17");
        await Expect(Page.Locator("[data-testid=chat-state]")).ToHaveAttributeAsync("data-state", "Active");
        await Expect(offer).ToHaveCountAsync(0);
        await Expect(Page).Not.ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"^\("));
        var active = await visitor.Conversations.NextAsync(c => c.State == ChatState.Active);
        Assert.Equal("Demo", active.AgentName);
        // The page read the visitor's message: the visitor's widget is told.
        await visitor.Marks.NextAsync(m => m.By == ChatAuthor.Agent && m.ReadUpTo == first.Message.Id);

        await visitor.TypingAsync(true);
        await Expect(Page.Locator("[data-testid=visitor-typing]")).ToContainTextAsync("Nia Visitor is typing");
        var hostile = await visitor.SendAsync("<b>not bold</b> <script>alert(1)</script>");
        await Expect(log.Locator($"[data-message='{hostile.Message.Id}']")).ToContainTextAsync("<b>not bold</b> <script>alert(1)</script>");
        await Expect(log.Locator("b, script")).ToHaveCountAsync(0);
        await Expect(Page.Locator("[data-testid=visitor-typing]")).Not.ToContainTextAsync("is typing");

        // Enter sends; Shift+Enter is a new line.
        var box = Page.Locator("#chat-text");
        await box.FillAsync("Sorry about that!");
        await box.PressAsync("Shift+Enter");
        await box.PressSequentiallyAsync("Let me look.");
        await box.PressAsync("Enter");
        var reply = await visitor.Messages.NextAsync(m => m.Author == ChatAuthor.Agent);
        Assert.Equal("Sorry about that!\nLet me look.", reply.Text);
        await Expect(box).ToHaveValueAsync("");
        var mine = log.Locator($"[data-message='{reply.Id}']");
        await Expect(mine).ToHaveAttributeAsync("class", new System.Text.RegularExpressions.Regex("from-agent"));
        await visitor.MarkAsync(reply.Id, null);
        await Expect(mine.Locator("[data-mark]")).ToHaveAttributeAsync("data-mark", "delivered");
        await visitor.MarkAsync(reply.Id, reply.Id);
        await Expect(mine.Locator("[data-mark]")).ToHaveAttributeAsync("data-mark", "read");

        // A file goes at once as its own message, and the visitor gets it.
        await ChooseFilesAsync(Page.Locator("#chat-files"), new FilePayload
        {
            Name = "receipt 17.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n%%EOF\n"u8.ToArray(),
        });
        var sentFile = await visitor.Messages.NextAsync(m => m.Author == ChatAuthor.Agent && m.Attachments.Length > 0);
        Assert.Equal("receipt 17.pdf", Assert.Single(sentFile.Attachments).FileName);
        await Expect(log.Locator($"[data-message='{sentFile.Id}']")).ToContainTextAsync("receipt 17.pdf");

        // A note asks colleagues; the visitor never gets it.
        await Page.Locator("[data-action=chat-note]").ClickAsync();
        await box.FillAsync("Checking with the warehouse");
        await box.PressAsync("Enter");
        await Expect(log.Locator("[data-kind=note]")).ToContainTextAsync("Checking with the warehouse");
        await ScreenshotAsync(Page, "chat-conversation-en");

        // The chats page lists it as the agent's.
        await Page.Locator("[data-testid=nav-chats]").ClickAsync();
        await Expect(Page.Locator($"[data-testid=chat-mine] [data-chat='{first.Conversation.Id}']")).ToBeVisibleAsync();
        // The chime is this browser's choice, and stays off once turned off.
        var sound = Page.Locator("[data-testid=offer-sound]");
        await Expect(sound).ToBeCheckedAsync();
        await sound.UncheckAsync();
        // The choice goes to the browser through the circuit: wait for it to land.
        await Page.WaitForFunctionAsync("() => localStorage.getItem('ateb.offerSound') === 'off'");
        await ScreenshotAsync(Page, "chat-list-en");
        await Page.Locator($"[data-testid=chat-mine] [data-chat='{first.Conversation.Id}'] a").ClickAsync();

        await Page.Locator("[data-action=end]").ClickAsync();
        await Page.Locator("[data-action=confirm-end]").ClickAsync();
        await Expect(Page.Locator("[data-testid=chat-state]")).ToHaveAttributeAsync("data-state", "Ended");
        await visitor.Conversations.NextAsync(c => c.State == ChatState.Ended);
        await visitor.RateAsync(4, "Quick and kind");
        await Expect(Page.Locator("[data-testid=chat-rating] [data-rating]")).ToHaveAttributeAsync("data-rating", "4");
        await Expect(Page.Locator("[data-testid=chat-rating]")).ToContainTextAsync("Quick and kind");
        await ScreenshotAsync(Page, "chat-ended-en");

        // The chat's ticket stays, solved, in the customer's timeline.
        await Page.Locator("[data-testid=chat-ticket]").ClickAsync();
        await Expect(Page.Locator("[data-testid=ticket-status]")).ToHaveTextAsync("Solved");
        await Expect(Page.Locator("[data-testid=timeline]")).ToContainTextAsync("Sorry about that!");

        Assert.DoesNotContain(visitor.Messages.All, m => m.IsNote || m.Text.Contains("warehouse", StringComparison.Ordinal));
        await AwayAsync(Page);
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task A_chat_is_transferred_to_a_colleague_with_a_note_and_they_take_it_over()
    {
        var gwen = await NewPageAsync();
        await SignInAsync(Page);
        await SignInAsync(gwen, Gwen);
        await GoAsync(Page, "/chats");
        await GoAsync(gwen, "/customers");
        await AwayAsync(gwen);
        await AvailableAsync(Page);
        await using var visitor = await ChatVisitorClient.ConnectAsync(Server, "Tomos Visitor", "cy");
        var first = await visitor.SendAsync("Mae angen help arnaf");
        await Page.Locator($"[data-testid=chat-offers] [data-offer='{first.Conversation.Id}'] [data-action=accept-offer]").ClickAsync();
        await Expect(Page.Locator("[data-testid=chat-state]")).ToHaveAttributeAsync("data-state", "Active");

        await AvailableAsync(gwen);
        await Page.Locator("[data-testid=chat-transfer] summary").ClickAsync();
        await Page.Locator("#transfer-to").SelectOptionAsync(new SelectOptionValue { Label = "Gwenllian Jones · available" });
        await Page.Locator("#transfer-note").FillAsync("Welsh speaker, order 17");
        await Page.Locator("[data-action=transfer]").ClickAsync();
        await Expect(Page.Locator("[data-testid=chat-state]")).ToHaveAttributeAsync("data-state", "Offered");

        var offer = gwen.Locator($"[data-testid=chat-offers] [data-offer='{first.Conversation.Id}']");
        await Expect(offer).ToContainTextAsync("Tomos Visitor");
        await ScreenshotAsync(gwen, "chat-offer-cy");
        await offer.Locator("[data-action=accept-offer]").ClickAsync();
        await Expect(gwen.Locator("[data-testid=chat-log] [data-kind=note]")).ToContainTextAsync("Welsh speaker, order 17");
        await visitor.Messages.NextAsync(m => m.Author == ChatAuthor.System && m.Text.StartsWith("Gwenllian", StringComparison.Ordinal));
        await gwen.Locator("#chat-text").FillAsync("Helo Tomos, sut alla i helpu?");
        await gwen.Locator("#chat-text").PressAsync("Enter");
        var reply = await visitor.Messages.NextAsync(m => m.Author == ChatAuthor.Agent);
        Assert.Equal("Helo Tomos, sut alla i helpu?", reply.Text);
        // The first agent still sees the chat, now Gwen's, and may only add notes.
        await Expect(Page.Locator("[data-testid=chat-state]")).ToHaveAttributeAsync("data-state", "Active");
        await Expect(Page.Locator("[data-testid=chat-log]")).ToContainTextAsync("Helo Tomos");
        await Expect(Page.Locator("[data-action=chat-reply]")).ToHaveCountAsync(0);

        await gwen.Locator("[data-action=end]").ClickAsync();
        await gwen.Locator("[data-action=confirm-end]").ClickAsync();
        await visitor.Conversations.NextAsync(c => c.State == ChatState.Ended);
        await Expect(Page.Locator("[data-testid=chat-state]")).ToHaveAttributeAsync("data-state", "Ended");
        await AwayAsync(gwen);
        await AwayAsync(Page);
    }

    [Fact]
    public async Task A_Persian_agent_chats_right_to_left_and_the_page_fits_a_phone()
    {
        await SignInAsync(Page, Sara);
        await GoAsync(Page, "/chats");
        await AvailableAsync(Page);
        await using var visitor = await ChatVisitorClient.ConnectAsync(Server, "مریم رضایی", "fa");
        var first = await visitor.SendAsync("سلام، سفارش من هنوز نرسیده. کد پیگیری: https://shop.example/t/17");
        await Expect(Page.Locator("[data-testid=chat-waiting]")).ToHaveAttributeAsync("data-count", "1");
        var offer = Page.Locator($"[data-testid=chat-offers] [data-offer='{first.Conversation.Id}']");
        await Expect(offer).ToContainTextAsync("مریم رضایی");
        // "a" takes the offer on screen, from anywhere but a text field.
        await Page.EvaluateAsync("() => document.activeElement?.blur()");
        await Page.Keyboard.PressAsync("a");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/chats/{first.Conversation.Id}$"));
        await Page.Locator("#chat-text").FillAsync("سلام مریم، الان بررسی می‌کنم.");
        await Page.Locator("#chat-text").PressAsync("Enter");
        var reply = await visitor.Messages.NextAsync(m => m.Author == ChatAuthor.Agent);
        await visitor.MarkAsync(reply.Id, reply.Id);
        await Expect(Page.Locator($"[data-message='{reply.Id}'] [data-mark]")).ToHaveAttributeAsync("data-mark", "read");

        await Expect(Page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        // Right to left: the visitor's messages sit at the right (start) edge, the agent's at the left (end) edge.
        var theirs = await Page.Locator($"[data-message='{first.Message.Id}']").BoundingBoxAsync();
        var ours = await Page.Locator($"[data-message='{reply.Id}']").BoundingBoxAsync();
        Assert.True(theirs!.X + theirs.Width > ours!.X + ours.Width, "the visitor's message should be right of the agent's in Persian");
        // Times in Persian digits.
        Assert.DoesNotMatch("[0-9]", await Page.Locator($"[data-message='{reply.Id}'] time").InnerTextAsync());
        await ScreenshotAsync(Page, "chat-conversation-fa");

        var phone = await NewPageAsync(Viewports.Phone);
        await SignInAsync(phone, Sara);
        await GoAsync(phone, $"/chats/{first.Conversation.Id}");
        await Expect(phone.Locator("[data-testid=chat-log]")).ToContainTextAsync("سلام مریم");
        var width = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= Viewports.Phone.Width, $"the chat page is {width}px wide on a {Viewports.Phone.Width}px phone");
        await ScreenshotAsync(phone, "chat-conversation-fa-phone");
        await AssertAccessibleAsync(Page, "chat-conversation-fa");

        await visitor.EndAsync();
        await Expect(Page.Locator("[data-testid=chat-state]")).ToHaveAttributeAsync("data-state", "Ended");
        await GoAsync(Page, "/chats");
        await ScreenshotAsync(Page, "chat-list-fa");
        await AwayAsync(Page);
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task A_light_agent_cannot_switch_chat_on()
    {
        await SignInAsync(Page, Sam);
        await GoAsync(Page, "/chats");
        await Expect(Page.Locator("[data-testid=chat-switch]")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-testid=chat-switch] [role=switch]")).ToHaveCountAsync(0);
        await Expect(Page.Locator("[data-testid=chat-queue]")).ToBeVisibleAsync();
    }

    private static ILocator Switch(IPage page) => page.Locator("[data-testid=chat-switch] [role=switch]");

    private static async Task AvailableAsync(IPage page)
    {
        await Expect(Switch(page)).ToBeEnabledAsync();
        if (await Switch(page).GetAttributeAsync("aria-checked") != "true")
        {
            await Switch(page).ClickAsync();
        }
        await Expect(Switch(page)).ToHaveAttributeAsync("aria-checked", "true");
    }

    private static async Task AwayAsync(IPage page)
    {
        await Expect(Switch(page)).ToBeEnabledAsync();
        if (await Switch(page).GetAttributeAsync("aria-checked") != "false")
        {
            await Switch(page).ClickAsync();
        }
        await Expect(Switch(page)).ToHaveAttributeAsync("aria-checked", "false");
    }
}
