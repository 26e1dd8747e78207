using Ateb.Features.Kb;
using Ateb.Features.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Kb;

/// <summary>What readers of a help center can send: "this is outdated" under an article, and the contact form's handler.</summary>
public sealed class HelpCenterReadersTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task A_reader_reports_an_article_outdated_and_agents_see_it_until_they_clear_it()
    {
        // Another workspace first, so this one is never the default help center's (the first set up) whatever the order.
        await app.CreateWorkspaceAsync();
        var ws = await app.CreateWorkspaceAsync();
        var host = await ws.SetHostAsync($"help-{Guid.NewGuid():N}.readers.test");
        var article = await ws.ArticleAsync("ساعت کاری", "از ساعت ۹ تا ۱۷ پاسخ می‌دهیم.", language: "fa");
        var draft = await ws.ArticleAsync("پیش‌نویس", "هنوز نه", publish: false, language: "fa");
        var staff = await ws.ArticleAsync("داخلی", "فقط کارکنان", isInternal: true, language: "fa");
        var reader = app.Visitor(host);

        var page = await reader.GetStringAsync($"/help/fa/articles/{article.Id}");
        Assert.Contains($"action=\"/help/fa/articles/{article.Id}/outdated\"", page, StringComparison.Ordinal);
        Assert.Contains("این مقاله قدیمی شده است؟", page, StringComparison.Ordinal);
        var report = await reader.PostAsync($"/help/fa/articles/{article.Id}/outdated",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["note"] = "  ساعت کاری جمعه‌ها عوض شده  " }));
        Assert.Equal(HttpStatusCode.Redirect, report.StatusCode);
        Assert.Equal($"/help/fa/articles/{article.Id}?reported=1", report.Headers.Location!.ToString());
        var thanked = await reader.GetStringAsync(report.Headers.Location.ToString());
        Assert.Contains("ممنون؛ این مقاله را بازبینی می‌کنیم.", thanked, StringComparison.Ordinal);
        Assert.DoesNotContain("/outdated\"", thanked, StringComparison.Ordinal);

        // A robot filling the hidden field is thanked and ignored; drafts, internal articles and unknown ones cannot be reported.
        var robot = await reader.PostAsync($"/help/fa/articles/{article.Id}/outdated",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["note"] = "spam", [HelpCenterForms.Honeypot] = "http://spam.example" }));
        Assert.Equal(HttpStatusCode.Redirect, robot.StatusCode);
        foreach (var id in new[] { draft.Id, staff.Id, Guid.NewGuid() })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await reader.PostAsync($"/help/fa/articles/{id}/outdated", new FormUrlEncodedContent([]))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await app.Visitor().PostAsync($"/help/fa/articles/{article.Id}/outdated", new FormUrlEncodedContent([]))).StatusCode);

        var outdated = await (await ws.Owner.GetAsync("/api/v1/kb/articles?outdated=true")).ReadAsync<KbArticleResponse[]>();
        var flagged = Assert.Single(outdated);
        Assert.Equal(article.Id, flagged.Id);
        Assert.Equal(1, flagged.OutdatedReports);
        Assert.NotNull(flagged.OutdatedSince);
        var entry = await ws.DbAsync(db => db.AuditEntries.SingleAsync(e => e.EntityId == article.Id && e.Action == "reported_outdated"));
        Assert.Equal(ReportOutdated.Reader, entry.ActorName);
        Assert.Null(entry.ActorAccountId);
        Assert.Equal("ساعت کاری جمعه‌ها عوض شده", entry.NewValue);

        // An agent's report counts too; clearing it takes the article off the list.
        var again = await (await ws.Owner.PostAsJsonAsync($"/api/v1/kb/articles/{article.Id}/outdated", new { comment = "Friday hours" })).ReadAsync<KbArticleResponse>();
        Assert.Equal(2, again.OutdatedReports);
        (await ws.Owner.PatchAsJsonAsync($"/api/v1/kb/articles/{article.Id}", new { clearOutdated = true })).EnsureSuccessStatusCode();
        Assert.Empty(await (await ws.Owner.GetAsync("/api/v1/kb/articles?outdated=true")).ReadAsync<KbArticleResponse[]>());
        var tooLong = await ws.Owner.PostAsJsonAsync($"/api/v1/kb/articles/{article.Id}/outdated", new { comment = new string('x', 2001) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
    }

    [Fact]
    public async Task The_contact_form_handler_opens_a_ticket_through_the_inbound_pipeline()
    {
        var ws = await app.CreateWorkspaceAsync();
        async Task<ContactFormOutcome> SubmitAsync(ContactFormRequest request)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SubmitContactForm>().HandleAsync(request, CancellationToken.None);
        }

        var sent = await SubmitAsync(new ContactFormRequest(ws.Id, "Gwen", "gwen@customer.example", null, "Mae fy archeb yn hwyr.", "cy"));
        Assert.True(sent.Ok);
        var ticket = await ws.DbAsync(db => db.Tickets.SingleAsync(t => t.Number == sent.TicketNumber));
        Assert.Equal(Channel.HelpCenter, ticket.Channel);
        Assert.Equal("cy", (await ws.DbAsync(db => db.Customers.SingleAsync(c => c.Id == ticket.RequesterId))).Language);
        var customer = await ws.DbAsync(db => db.CustomerIdentities.SingleAsync(i => i.CustomerId == ticket.RequesterId));
        Assert.Equal("gwen@customer.example", customer.Value);

        // The live chat's offline mode will say where it came from.
        var chat = await SubmitAsync(new ContactFormRequest(ws.Id, null, "layla@customer.example", "Offline", "مرحبا", "ar", Channel: Channel.Chat));
        Assert.Equal(Channel.Chat, (await ws.DbAsync(db => db.Tickets.SingleAsync(t => t.Number == chat.TicketNumber))).Channel);

        var bad = await SubmitAsync(new ContactFormRequest(ws.Id, new string('n', 201), "not-an-email", null, " ", "not a tag"));
        Assert.False(bad.Ok);
        Assert.Equal(["email", "language", "message", "name"], bad.Errors!.Keys.Order());
        var robot = await SubmitAsync(new ContactFormRequest(ws.Id, "Bot", "bot@spam.example", null, "buy", "en", Website: "http://spam.example"));
        Assert.True(robot.Ignored);
        Assert.Null(robot.TicketNumber);
        Assert.Equal(2, await ws.CountAsync<Ticket>());
    }
}
