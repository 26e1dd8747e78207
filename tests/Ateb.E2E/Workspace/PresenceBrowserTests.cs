using static Ateb.E2E.Workspace.WorkspaceSession;

namespace Ateb.E2E.Workspace;

/// <summary>Collision detection: two agents on one ticket see each other view and type, live, and it clears when one leaves.</summary>
public sealed class PresenceBrowserTests(AtebServerFixture server, BrowserFixture browser) : BrowserTest(server, browser)
{
    [Fact]
    public async Task Two_agents_on_one_ticket_see_each_other_and_presence_clears_when_one_leaves()
    {
        var (owner, gwen) = await TwoAgentsOnOneTicketAsync("Two agents, one ticket");

        var ownerSees = owner.Locator("[data-testid=presence] .viewer");
        await Expect(ownerSees).ToContainTextAsync("Gwenllian Jones");
        await Expect(gwen.Locator("[data-testid=presence] .viewer")).ToContainTextAsync("Demo Owner");

        await gwen.Locator("#composer-text").PressSequentiallyAsync("Ar y ffordd");
        await Expect(ownerSees).ToContainTextAsync("is typing");

        // Closing the tab drops the connection; presence must clear within 10 s, not when the circuit expires minutes later.
        await gwen.Context.CloseAsync();
        await Expect(ownerSees).ToHaveCountAsync(0, new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task A_reply_by_one_agent_appears_live_for_the_other()
    {
        var (owner, gwen) = await TwoAgentsOnOneTicketAsync("Live timeline");
        await gwen.Locator("#composer-text").FillAsync("Diolch, rydyn ni'n edrych arno.");
        await gwen.Locator("[data-send]").ClickAsync();
        await Expect(owner.Locator("[data-testid=timeline]")).ToContainTextAsync("Diolch, rydyn ni'n edrych arno.");
    }

    /// <summary>The demo owner (this test's page) and Gwen (a page of her own) with the same new ticket open.</summary>
    private async Task<(IPage Owner, IPage Gwen)> TwoAgentsOnOneTicketAsync(string subject)
    {
        var number = await NewTicketAsync(Server, subject);
        var gwen = await NewPageAsync();
        await SignInAsync(Page);
        await SignInAsync(gwen, Gwen);
        await GoAsync(Page, $"/tickets/{number}");
        await GoAsync(gwen, $"/tickets/{number}");
        return (Page, gwen);
    }
}
