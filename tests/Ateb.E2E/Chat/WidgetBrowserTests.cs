using System.Net.Http.Json;
using System.Text.Json;
using Ateb.Features.Chat;
using Microsoft.AspNetCore.SignalR.Client;

namespace Ateb.E2E.Chat;

/// <summary>
/// One Ateb of its own for the widget's tests (whether chat is open depends on which agents are online, which other
/// tests must not change), a customer site on another origin that embeds the widget, and the workspace's chat settings:
/// that site allowed, chat open around the clock (no business hours), the pre-chat form optional, greetings in English
/// and Persian.
/// </summary>
public sealed class WidgetFixture : IAsyncLifetime
{
    private AtebServer? _server;
    private WidgetHostPage? _site;
    private HttpClient? _api;

    public AtebServer Server => _server ?? throw new InvalidOperationException("not started");
    internal WidgetHostPage Site => _site ?? throw new InvalidOperationException("not started");

    /// <summary>Signed in as the demo owner (cookie).</summary>
    public HttpClient Api => _api ?? throw new InvalidOperationException("not started");

    public string Workspace { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _server = await AtebServer.StartAsync(new AtebServerOptions
        {
            Name = "widget", Environment = new Dictionary<string, string> { ["RateLimits__LoginPerEmail"] = "1000" },
        });
        _api = await _server.SignInApiAsync();
        Workspace = (await _api.GetFromJsonAsync<JsonElement>("/api/v1/workspace")).GetProperty("slug").GetString()!;
        _site = await WidgetHostPage.StartAsync(_server, Workspace);
        // The widget greets in the workspace's languages; the demo workspace starts with English only.
        using (var languages = await _api.PatchAsJsonAsync("/api/v1/workspace", new { languages = new[] { "en", "fa", "ar", "cy" } }))
        {
            Assert.True(languages.IsSuccessStatusCode, $"PATCH /api/v1/workspace answered {(int)languages.StatusCode}: {await languages.Content.ReadAsStringAsync()}");
        }
        using var response = await _api.PutAsJsonAsync("/api/v1/chat/settings", new
        {
            enabled = true,
            brandColor = "#0f766e",
            greetings = new Dictionary<string, string> { ["en"] = "Hi! How can we help?", ["fa"] = "سلام! چطور می‌توانیم کمک کنیم؟" },
            allowedOrigins = new[] { _site.Origin },
            preChat = "optional",
            maxChatsPerAgent = 5,
            maxQueue = 20,
            offerSeconds = 60,
            teamId = (Guid?)null,
            useBusinessHours = false,
        });
        Assert.True(response.IsSuccessStatusCode, $"PUT /api/v1/chat/settings answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        // Published help-center articles, for the suggestions while the visitor types.
        Articles = await HelpCenter.HelpCenterData.EnsureAsync(_server);
    }

    internal HelpCenter.HelpCenterData? Articles { get; private set; }

    /// <summary>Restarts Ateb on the same port and database (see <see cref="AtebServer.RestartAsync"/>).</summary>
    public async Task RestartAsync(Func<Task> whileDown) => _server = await Server.RestartAsync(whileDown);

    /// <summary>What the widget would be told now: "open", "noAgents"…</summary>
    public async Task<string> AvailabilityAsync()
    {
        using var anonymous = Server.CreateClient();
        var config = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/chat/{Workspace}/widget?lang=en");
        return config.GetProperty("availability").GetProperty("state").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
        _api?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// The chat widget (widget/, served at /widget.js) embedded in a customer's site on another origin, under a strict
/// Content-Security-Policy and hostile CSS: a visitor chats with an agent's client on /hubs/agent, marks and typing go
/// both ways, history survives a reload and a new tab, the offline contact form opens a ticket, Persian is mirrored,
/// a phone gets a full-screen panel, and axe-core finds nothing serious. Screenshots in artifacts/e2e/screenshots/widget-*.
/// </summary>
public sealed class WidgetBrowserTests(AtebServerFixture shared, BrowserFixture browser, WidgetFixture widget)
    : BrowserTest(shared, browser), IClassFixture<WidgetFixture>
{
    private AtebServer Ateb => widget.Server;

    [Fact]
    public async Task Visitor_chats_with_an_agent_on_a_hostile_page_under_a_strict_csp()
    {
        await using var agent = await ChatAgent.ConnectAsync(Ateb, widget.Api);
        await WaitForAvailabilityAsync("open");
        var page = await SitePageAsync();

        // The host page's styles are its own: the widget added nothing to the document's style sheets.
        Assert.Equal(1, await page.EvaluateAsync<int>("document.styleSheets.length"));
        Assert.Equal(0, await page.EvaluateAsync<int>("document.adoptedStyleSheets.length"));
        Assert.Equal("none", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.promo')).display"));

        // Hostile CSS does not reach inside: the launcher is a 58 px round button at the bottom right, in the brand colour.
        var launcher = Widget(page, ".launcher");
        await Expect(launcher).ToBeVisibleAsync();
        var box = (await launcher.BoundingBoxAsync())!;
        Assert.InRange(box.Width, 56, 60);
        Assert.InRange(box.X + box.Width, Viewports.Desktop.Width - 24, Viewports.Desktop.Width - 16);
        Assert.Equal("rgb(15, 118, 110)", await launcher.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await Expect(launcher).ToHaveAttributeAsync("aria-label", "Open chat");

        // Keyboard: Enter on the launcher opens the panel and puts focus in the pre-chat form.
        await launcher.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var panel = Widget(page, ".panel");
        await Expect(panel).ToBeVisibleAsync();
        await Expect(launcher).ToHaveAttributeAsync("aria-expanded", "true");
        var name = Widget(page, ".prechat input[name=name]");
        await Expect(name).ToBeFocusedAsync();
        // The host's 31 px monospace, uppercase and letter spacing stop at the shadow root.
        var label = Widget(page, ".prechat label").First;
        Assert.Equal("14px", await label.EvaluateAsync<string>("e => getComputedStyle(e).fontSize"));
        Assert.Equal("none", await label.EvaluateAsync<string>("e => getComputedStyle(e).textTransform"));
        Assert.Equal("normal", await label.EvaluateAsync<string>("e => getComputedStyle(e).letterSpacing"));
        Assert.DoesNotContain("Courier", await label.EvaluateAsync<string>("e => getComputedStyle(e).fontFamily"), StringComparison.Ordinal);
        await name.FillAsync("Nia Visitor");
        await Widget(page, ".prechat input[name=email]").FillAsync("nia@example.test");
        await page.Keyboard.PressAsync("Enter");

        var composer = Widget(page, "textarea[name=text]");
        await Expect(composer).ToBeFocusedAsync();
        await Expect(Widget(page, ".greeting")).ToHaveTextAsync("Hi! How can we help?");
        // While the visitor types, help-center articles are suggested above the composer.
        await composer.FillAsync("How can I track my order");
        var suggestion = Widget(page, ".suggest a").Filter(new() { HasText = HelpCenter.HelpCenterData.TrackingEn });
        await Expect(suggestion).ToHaveCountAsync(1);
        await Expect(suggestion).ToHaveAttributeAsync("href", Ateb.Url($"/help/en/articles/{widget.Articles!.Tracking}"));
        await Expect(suggestion).ToHaveAttributeAsync("target", "_blank");
        const string question = "Where is my order? <b>not bold</b> see https://shop.example/orders/7.";
        await composer.PressSequentiallyAsync(question[..10]);
        await composer.FillAsync(question);
        await page.Keyboard.PressAsync("Enter");
        await Expect(Widget(page, ".suggest")).ToBeHiddenAsync();
        var mine = Widget(page, ".msg.visitor").First;
        await Expect(mine.Locator(".bubble")).ToHaveTextAsync(question);

        // The agent is offered the chat, takes it and sees the message, stored before it was broadcast.
        var offer = await agent.OfferAsync("Where is my order?");
        var detail = await agent.AcceptAsync(offer.ConversationId);
        var chatId = detail.Chat.Id;
        var stored = Assert.Single(detail.Messages, m => m.Author == ChatAuthor.Visitor);
        Assert.Equal(question, stored.Text);
        await Expect(Widget(page, ".head [role=status]")).ToHaveTextAsync("You are chatting with Demo.");

        // Typing, both ways.
        await composer.PressSequentiallyAsync("Thanks");
        await agent.NextAsync<ChatTyping>(t => t.Who == ChatAuthor.Visitor && t.IsTyping);
        await composer.FillAsync("");
        await agent.Hub.InvokeAsync("Typing", chatId, true);
        await Expect(Widget(page, ".typing")).ToHaveTextAsync("Demo is typing…");

        // The agent's reply: escaped, links clickable (http/https only, new tab, no referrer), emoji as they are.
        const string reply = "Hello Nia 👋 track it at https://shop.example/track?o=7 or javascript:alert(1) <img src=x onerror=alert(1)>";
        var sent = await agent.Hub.InvokeAsync<ChatMessageView>("Send", chatId, new AgentSendRequest(Guid.NewGuid().ToString(), reply, false));
        var theirs = Widget(page, ".msg.agent").Last;
        await Expect(theirs.Locator(".bubble")).ToHaveTextAsync(reply);
        await Expect(Widget(page, ".typing")).ToHaveTextAsync("");
        var links = theirs.Locator(".bubble a");
        await Expect(links).ToHaveCountAsync(1);
        await Expect(links).ToHaveAttributeAsync("href", "https://shop.example/track?o=7");
        await Expect(links).ToHaveAttributeAsync("target", "_blank");
        await Expect(links).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
        await Expect(theirs.Locator("img")).ToHaveCountAsync(0);
        await Expect(mine.Locator(".bubble b")).ToHaveCountAsync(0);
        // An internal note never reaches the visitor.
        await agent.Hub.InvokeAsync<ChatMessageView>("Send", chatId, new AgentSendRequest(Guid.NewGuid().ToString(), "Internal: VIP customer", true));

        // A file: uploaded with the visitor token in the Authorization header, stored as the visitor's message.
        await Widget(page, "input[type=file]").SetInputFilesAsync(new FilePayload { Name = "receipt.txt", MimeType = "text/plain", Buffer = "order 7"u8.ToArray() });
        var file = await agent.NextAsync<ChatMessageView>(m => m.Attachments.Length == 1);
        Assert.Equal("receipt.txt", file.Attachments[0].FileName);
        await Expect(Widget(page, ".msg.visitor .att")).ToHaveTextAsync("receipt.txt");

        // Marks: the open, visible panel read the reply; the agent reads the question and the visitor sees "Read".
        await agent.NextAsync<ChatMarks>(m => m.By == ChatAuthor.Visitor && m.ReadUpTo == sent.Id);
        await agent.Hub.InvokeAsync("Marks", chatId, new MarkRequest(stored.Id, stored.Id));
        await Expect(mine).ToHaveAttributeAsync("data-mark", "read");
        await Expect(Widget(page, ".msg.visitor").Last).ToHaveAttributeAsync("data-mark", "sent");
        await Expect(mine.Locator(".meta")).ToContainTextAsync("Read");
        await ScreenshotAsync(page, "widget-en-desktop-chat");

        // History survives a reload (no duplicates) and shows in a new tab of the same browser.
        await page.ReloadAsync();
        await Expect(Widget(page, ".panel")).ToBeVisibleAsync();
        await Expect(Widget(page, ".msg.agent .bubble")).ToHaveTextAsync([reply]);
        await Expect(Widget(page, ".msg.visitor .bubble")).ToHaveTextAsync([question, "receipt.txt"]);
        await Expect(Widget(page, ".head [role=status]")).ToHaveTextAsync("You are chatting with Demo.");
        var tab = await page.Context.NewPageAsync();
        await tab.GotoAsync(widget.Site.Url());
        await Widget(tab, ".launcher").ClickAsync();
        await Expect(Widget(tab, ".msg:not(.system) .bubble")).ToHaveTextAsync([question, reply, "receipt.txt"]);
        await Expect(Widget(tab, ".msg.system")).ToContainTextAsync(["Demo joined the chat."]);
        // A message from the new tab reaches the agent once, and shows in the first tab too.
        await Widget(tab, "textarea[name=text]").FillAsync("Sent from another tab");
        await tab.Keyboard.PressAsync("Enter");
        var fromTab = await agent.NextAsync<ChatMessageView>(m => m.Text == "Sent from another tab");
        await Expect(Widget(page, ".msg.visitor .bubble")).ToHaveTextAsync([question, "receipt.txt", "Sent from another tab"]);
        await tab.CloseAsync();

        // The visitor ends the chat, rates it and asks for the transcript.
        await Widget(page, ".head .end").ClickAsync();
        await Expect(Widget(page, ".ended")).ToBeVisibleAsync();
        await Widget(page, ".stars button").Nth(3).ClickAsync();
        await Widget(page, ".ended textarea").FillAsync("Quick and kind.");
        await Widget(page, ".ended button[type=submit]").First.ClickAsync();
        await Expect(Widget(page, ".ended")).ToContainTextAsync("Thank you for your feedback.");
        await Widget(page, ".ended input[type=email]").FillAsync("nia@example.test");
        await Widget(page, ".ended button[type=submit]").Last.ClickAsync();
        await Expect(Widget(page, ".ended")).ToContainTextAsync("The transcript is on its way to nia@example.test.");
        var summary = await agent.NextAsync<ChatSummary>(s => s.Id == chatId && s.Rating == 4);
        Assert.Equal(ChatState.Ended, summary.State);
        Assert.NotEqual(Guid.Empty, fromTab.Id);
        await ScreenshotAsync(page, "widget-en-desktop-ended");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task After_a_server_restart_the_widget_resyncs_and_sends_what_waited_exactly_once()
    {
        var agent = await ChatAgent.ConnectAsync(Ateb, widget.Api);
        await WaitForAvailabilityAsync("open");
        var page = await SitePageAsync();
        await Widget(page, ".launcher").ClickAsync();
        await Widget(page, ".prechat button[type=submit]").ClickAsync();
        await Widget(page, "textarea[name=text]").FillAsync("Before the restart");
        await page.Keyboard.PressAsync("Enter");
        var chatId = (await agent.AcceptAsync((await agent.OfferAsync("Before the restart")).ConversationId)).Chat.Id;
        await agent.Hub.InvokeAsync<ChatMessageView>("Send", chatId, new AgentSendRequest(Guid.NewGuid().ToString(), "Reply before the restart", false));
        await Expect(Widget(page, ".msg.agent .bubble")).ToHaveTextAsync(["Reply before the restart"]);

        await widget.RestartAsync(async () =>
        {
            // The widget notices at once, says so, and keeps what the visitor writes meanwhile.
            await Expect(Widget(page, ".head [role=status]")).ToHaveTextAsync("Connection lost. Reconnecting…");
            await Widget(page, "textarea[name=text]").FillAsync("Sent while the server was down");
            await page.Keyboard.PressAsync("Enter");
            await Expect(Widget(page, ".msg.visitor").Last).ToHaveAttributeAsync("data-mark", "sending");
        });
        await agent.DisposeAsync();

        // Back: Hello(lastMessageId) resyncs, the waiting message goes out with its clientId, once.
        await Expect(Widget(page, ".msg.visitor").Last).ToHaveAttributeAsync("data-mark", "sent", new() { Timeout = 60_000 });
        await using var again = await ChatAgent.ConnectAsync(Ateb, widget.Api);
        var detail = await again.AcceptAsync(chatId);
        Assert.Equal(["Before the restart", "Sent while the server was down"],
            detail.Messages.Where(m => m.Author == ChatAuthor.Visitor).Select(m => m.Text));
        await again.Hub.InvokeAsync<ChatMessageView>("Send", chatId, new AgentSendRequest(Guid.NewGuid().ToString(), "Reply after the restart", false));
        await Expect(Widget(page, ".msg.agent .bubble")).ToHaveTextAsync(["Reply before the restart", "Reply after the restart"]);
        await Expect(Widget(page, ".msg.visitor .bubble")).ToHaveTextAsync(["Before the restart", "Sent while the server was down"]);
        await Expect(Widget(page, ".head [role=status]")).ToHaveTextAsync("You are chatting with Demo.");
        await ScreenshotAsync(page, "widget-en-desktop-after-restart");
    }

    [Fact]
    public async Task With_no_agent_online_the_widget_is_the_contact_form_and_opens_a_ticket()
    {
        await WaitForAvailabilityAsync("noAgents");
        var page = await SitePageAsync();
        await Widget(page, ".launcher").ClickAsync();
        var form = Widget(page, ".contact");
        await Expect(form).ToBeVisibleAsync();
        await Expect(form).ToContainTextAsync("No one is available to chat right now. Leave a message and we will answer by email.");
        await Expect(Widget(page, "textarea[name=text]")).ToBeHiddenAsync();

        // Required fields are said so, and focused.
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(form.Locator("input[name=email]")).ToBeFocusedAsync();
        await Expect(form.Locator("[role=alert]")).ToHaveTextAsync("This field is required.");
        await form.Locator("input[name=email]").FillAsync("not-an-address");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(form.Locator("[role=alert]")).ToHaveTextAsync("Enter a valid email address.");

        var email = $"offline-{Guid.NewGuid():N}@example.test";
        await form.Locator("input[name=name]").FillAsync("Owain Offline");
        await form.Locator("input[name=email]").FillAsync(email);
        await form.Locator("input[name=subject]").FillAsync("Refund for order 9");
        await form.Locator("textarea[name=message]").FillAsync("Nobody was there, so here is my question about order 9.");
        await form.Locator("button[type=submit]").ClickAsync();
        var receipt = Widget(page, ".receipt");
        await Expect(receipt).ToBeFocusedAsync();
        var text = await receipt.TextContentAsync();
        var number = long.Parse(System.Text.RegularExpressions.Regex.Match(text!, @"request number is (\d+)\.").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await ScreenshotAsync(page, "widget-en-desktop-offline");

        // The ticket exists, by email, from that address.
        var tickets = await widget.Api.GetFromJsonAsync<JsonElement>("/api/v1/tickets?sort=newest&limit=20");
        var ticket = Assert.Single(tickets.GetProperty("items").EnumerateArray(), t => t.GetProperty("number").GetInt64() == number);
        Assert.Equal("email", ticket.GetProperty("channel").GetString(), ignoreCase: true);
        Assert.Equal(email, ticket.GetProperty("requester").GetProperty("email").GetString(), ignoreCase: true);
        Assert.Equal("Refund for order 9", ticket.GetProperty("subject").GetString());
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Persian_is_right_to_left_and_mirrored()
    {
        await using var agent = await ChatAgent.ConnectAsync(Ateb, widget.Api);
        await WaitForAvailabilityAsync("open");
        var en = await SitePageAsync();
        var fa = await SitePageAsync(lang: "fa");
        foreach (var page in new[] { en, fa })
        {
            await Widget(page, ".launcher").ClickAsync();
            await Widget(page, ".prechat button[type=submit]").ClickAsync();
            await Widget(page, "textarea[name=text]").FillAsync(page == fa ? "سلام، سفارش من کجاست؟" : "Hello, where is my order?");
            await page.Keyboard.PressAsync("Enter");
            await Expect(Widget(page, ".msg.visitor")).ToHaveCountAsync(1);
        }
        await Expect(Widget(fa, ".root")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(Widget(fa, ".root")).ToHaveAttributeAsync("lang", "fa");
        await Expect(Widget(fa, ".launcher")).ToHaveAttributeAsync("aria-label", "بستن پنجرهٔ گفتگو");
        await Expect(Widget(fa, ".greeting")).ToHaveTextAsync("سلام! چطور می‌توانیم کمک کنیم؟");
        await Expect(Widget(fa, ".msg.visitor .meta")).ToContainTextAsync("شما");

        // Mirrored: what is at the right in English is at the left in Persian, at the same distance from the edge.
        await StillAsync(en);
        await StillAsync(fa);
        var width = Viewports.Desktop.Width;
        foreach (var part in new[] { ".launcher", ".panel", ".head button[aria-label]", ".msg.visitor .bubble", ".sendb", ".attb" })
        {
            var a = (await Widget(en, part).First.BoundingBoxAsync())!;
            var b = (await Widget(fa, part).First.BoundingBoxAsync())!;
            // Bubbles hold different words: only their anchored edge is compared, and not their height.
            var sameHeight = part.Contains("bubble", StringComparison.Ordinal) || Math.Abs(a.Y - b.Y) <= 2;
            Assert.True(Math.Abs(a.X + a.Width - (width - b.X)) <= 2 && sameHeight,
                $"{part}: English at x={a.X:0}..{a.X + a.Width:0}, Persian at x={b.X:0}..{b.X + b.Width:0}; expected its mirror image");
        }
        await ScreenshotAsync(en, "widget-en-desktop");
        await ScreenshotAsync(fa, "widget-fa-desktop");
        await EndChatAsync(en);
        await EndChatAsync(fa);
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task On_a_phone_the_panel_fills_the_screen()
    {
        await using var agent = await ChatAgent.ConnectAsync(Ateb, widget.Api);
        await WaitForAvailabilityAsync("open");
        foreach (var lang in new[] { "en", "fa" })
        {
            var page = await SitePageAsync(Viewports.Phone, lang);
            var launcher = Widget(page, ".launcher");
            await launcher.TapAsync();
            await StillAsync(page);
            var box = (await Widget(page, ".panel").BoundingBoxAsync())!;
            Assert.Equal((0, 0, Viewports.Phone.Width, Viewports.Phone.Height), ((int)box.X, (int)box.Y, (int)box.Width, (int)box.Height));
            await Widget(page, ".prechat button[type=submit]").TapAsync();
            await Widget(page, "textarea[name=text]").FillAsync(lang == "fa" ? "سلام، وضعیت سفارش ۷ چیست؟ https://shop.example/orders/7" : "Hi, what is the status of order 7? https://shop.example/orders/7");
            await Widget(page, ".sendb").TapAsync();
            await Expect(Widget(page, ".msg.visitor")).ToHaveAttributeAsync("data-mark", "sent");
            var composer = (await Widget(page, ".composer").BoundingBoxAsync())!;
            Assert.True(composer.Y + composer.Height <= Viewports.Phone.Height + 1, "the composer is on screen");
            // The launcher hides under the full-screen panel; the close button brings it back, focused.
            await Expect(launcher).ToBeHiddenAsync();
            var close = Widget(page, ".head button[aria-label]");
            var closeBox = (await close.BoundingBoxAsync())!;
            Assert.True(closeBox.Width >= 40 && closeBox.Height >= 40, "the close button is a 40 px touch target at least");
            await ScreenshotAsync(page, $"widget-{lang}-phone");
            await EndChatAsync(page);
            await close.TapAsync();
            await Expect(Widget(page, ".panel")).ToBeHiddenAsync();
            await Expect(launcher).ToBeFocusedAsync();
        }
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task The_widget_passes_axe_core_in_each_state()
    {
        await using var agent = await ChatAgent.ConnectAsync(Ateb, widget.Api);
        await WaitForAvailabilityAsync("open");
        var page = await SitePageAsync(calm: true);
        await AssertAccessibleAsync(page, "widget-closed");
        await Widget(page, ".launcher").ClickAsync();
        await AssertAccessibleAsync(page, "widget-prechat");
        await Widget(page, ".prechat button[type=submit]").ClickAsync();
        await Widget(page, "textarea[name=text]").FillAsync("Checking accessibility https://shop.example/a11y");
        await page.Keyboard.PressAsync("Enter");
        var offer = await agent.OfferAsync("Checking accessibility");
        var detail = await agent.AcceptAsync(offer.ConversationId);
        await agent.Hub.InvokeAsync<ChatMessageView>("Send", detail.Chat.Id, new AgentSendRequest(Guid.NewGuid().ToString(), "Happy to help.", false));
        await Expect(Widget(page, ".msg.agent")).ToHaveCountAsync(1);
        await Expect(Widget(page, "[role=log]")).ToHaveAttributeAsync("aria-label", "Conversation");
        await AssertAccessibleAsync(page, "widget-chat");
        await Widget(page, ".head .end").ClickAsync();
        await Expect(Widget(page, ".ended")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "widget-ended");

        // The Persian offline form too.
        await agent.DisposeAsync();
        await WaitForAvailabilityAsync("noAgents");
        var fa = await SitePageAsync(lang: "fa", calm: true);
        await Widget(fa, ".launcher").ClickAsync();
        await Expect(Widget(fa, ".contact")).ToBeVisibleAsync();
        await AssertAccessibleAsync(fa, "widget-fa-offline");
        AssertNoBrowserErrors();
    }

    [Fact]
    public async Task A_visitor_the_site_vouches_for_skips_the_form_and_is_verified_a_forged_one_is_not()
    {
        await using var agent = await ChatAgent.ConnectAsync(Ateb, widget.Api);
        await WaitForAvailabilityAsync("open");
        using var rotated = await widget.Api.PostAsync("/api/v1/chat/settings/identity-secret", null);
        rotated.EnsureSuccessStatusCode();
        var secret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var userId = $"shop-user-{Guid.NewGuid():N}";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(userId)));

        var page = await SitePageAsync(attributes: $"data-user-id=\"{userId}\" data-user-hash=\"{hash}\" data-user-name=\"Vera Verified\" data-user-email=\"vera@example.test\"");
        await Widget(page, ".launcher").ClickAsync();
        await Expect(Widget(page, "textarea[name=text]")).ToBeFocusedAsync();
        await Expect(Widget(page, ".prechat")).ToBeHiddenAsync();
        await Widget(page, "textarea[name=text]").FillAsync("I am signed in on the shop.");
        await page.Keyboard.PressAsync("Enter");
        var offer = await agent.OfferAsync("signed in");
        var detail = await agent.AcceptAsync(offer.ConversationId);
        Assert.True(detail.Chat.Verified);

        // A wrong hash: the widget still chats, as an anonymous visitor.
        var forged = await SitePageAsync(attributes: $"data-user-id=\"{userId}\" data-user-hash=\"{new string('0', 64)}\"");
        await Widget(forged, ".launcher").ClickAsync();
        await Widget(forged, "textarea[name=text]").FillAsync("I claim to be someone else.");
        await forged.Keyboard.PressAsync("Enter");
        var forgedOffer = await agent.OfferAsync("someone else");
        var forgedDetail = await agent.AcceptAsync(forgedOffer.ConversationId);
        Assert.False(forgedDetail.Chat.Verified);
        Assert.NotEqual(detail.Chat.CustomerId, forgedDetail.Chat.CustomerId);
    }

    [Fact]
    public async Task The_script_is_served_for_any_site_and_cached_briefly()
    {
        using var http = Ateb.CreateClient();
        using var response = await http.GetAsync("/widget.js");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        Assert.Equal("cross-origin", response.Headers.GetValues("Cross-Origin-Resource-Policy").Single());
        Assert.NotNull(response.Headers.ETag);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("/*! Ateb chat widget", body, StringComparison.Ordinal);
        // Pure ASCII, so a host page's charset cannot garble it.
        Assert.All(body, c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4} in widget.js"));
    }

    /// <summary>A part of the widget, inside its shadow root (Playwright's CSS selectors pierce open shadow roots).</summary>
    private static ILocator Widget(IPage page, string selector) => page.Locator($"ateb-chat {selector}");

    private async Task<IPage> SitePageAsync(ViewportSize? viewport = null, string lang = "en", bool calm = false, string attributes = "")
    {
        var page = await NewPageAsync(viewport, lang == "fa" ? "fa-IR" : "en-GB", on: Ateb);
        await page.GotoAsync(widget.Site.Url(lang, calm, attributes));
        await Expect(Widget(page, ".launcher")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Waits for the panel's opening animation to finish, before measuring it.</summary>
    private static Task StillAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.querySelector('ateb-chat').shadowRoot.querySelector('.panel').getAnimations().length === 0");

    /// <summary>The visitor ends their chat, so it does not wait in the queue of the next test.</summary>
    private static async Task EndChatAsync(IPage page)
    {
        await Widget(page, ".head .end").ClickAsync();
        await Expect(Widget(page, ".ended")).ToBeVisibleAsync();
    }

    /// <summary>Availability follows agents' connections, which other tests of this class open and close.</summary>
    private async Task WaitForAvailabilityAsync(string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        string now;
        while ((now = await widget.AvailabilityAsync()) != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"chat availability stayed \"{now}\", not \"{state}\"");
            await Task.Delay(250);
        }
    }
}
