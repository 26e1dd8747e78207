using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Search;

/// <summary>The same expectations on SQLite FTS5 and PostgreSQL full-text search (this class runs on both).</summary>
public sealed class SearchTests(AtebApp app) : IClassFixture<AtebApp>
{
    private static async Task<TicketResponse> TicketAsync(TestWorkspace ws, string subject, string text, string email = "customer@example.com") =>
        await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject, requester = new { email }, message = new { text } })).ReadAsync<TicketResponse>();

    /// <summary>Searches until the expectation holds or 15 s pass: indexing runs moments after the commit.</summary>
    private static async Task<SearchResponse> SearchUntilAsync(TestWorkspace ws, string q, Func<SearchResponse, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var result = await (await ws.Owner.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(q))).ReadAsync<SearchResponse>();
            if (done(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }
            await Task.Delay(100);
        }
    }

    private static async Task<bool> FindsAsync(TestWorkspace ws, string q, Guid ticket) =>
        (await SearchUntilAsync(ws, q, r => r.Tickets.Any(t => t.Id == ticket))).Tickets.Any(t => t.Id == ticket);

    [Theory]
    [InlineData("مشکل در کسب‌وکار ما", "کسبوکار")]
    [InlineData("مشکل در کسبوکار ما", "کسب‌وکار")]
    [InlineData("این کار انجام می‌شود", "میشود")]
    [InlineData("سفارش من نرسيده است", "نرسیده")]
    [InlineData("الفاتورة خاطئة", "الفاتوره")]
    [InlineData("رقم الطلب ١٢٣٤", "1234")]
    [InlineData("Mae ein nghwsmeriaid yn hapus", "cwsmeriaid")]
    [InlineData("Diolch i'r gwsmeriaid", "cwsmeriaid")]
    [InlineData("Our printers keep jamming", "printer")]
    [InlineData("Café opening hours", "cafe")]
    public async Task Words_are_found_in_the_forms_people_write_them(string text, string query)
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await TicketAsync(ws, "Question", text);
        Assert.True(await FindsAsync(ws, query, ticket.Id), $"«{query}» did not find «{text}»");
    }

    [Fact]
    public async Task Search_as_you_type_matches_the_last_word_as_a_prefix_and_marks_the_words()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await TicketAsync(ws, "Invoice question", "The refund for my subscription never arrived.");
        var result = await SearchUntilAsync(ws, "refund subscr", r => r.Tickets.Length > 0);
        var hit = Assert.Single(result.Tickets);
        Assert.Equal(ticket.Id, hit.Id);
        Assert.Contains("<mark>refund</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("<mark>subscription</mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Words_that_only_look_alike_do_not_match()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await TicketAsync(ws, "Shipping", "The parcel arrived damaged.");
        Assert.True(await FindsAsync(ws, "parcel", ticket.Id));
        var other = await (await ws.Owner.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("parcels damaged refund "))).ReadAsync<SearchResponse>();
        Assert.Empty(other.Tickets);
        var nothing = await (await ws.Owner.GetAsync("/api/v1/search?q=pencil%20")).ReadAsync<SearchResponse>();
        Assert.Empty(nothing.Tickets);
    }

    [Fact]
    public async Task Customers_are_found_by_name_and_address_and_another_workspace_sees_nothing()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await TicketAsync(ws, "Hello", "Hi there", "ana.lopez@shop.example");
        var result = await SearchUntilAsync(ws, "lopez", r => r.Customers.Length > 0);
        Assert.Equal(ticket.Requester.Id, Assert.Single(result.Customers).Id);

        var other = await app.CreateWorkspaceAsync();
        var foreign = await (await other.Owner.GetAsync("/api/v1/search?q=lopez")).ReadAsync<SearchResponse>();
        Assert.Empty(foreign.Customers);
        Assert.Empty(foreign.Tickets);
    }

    [Fact]
    public async Task A_ticket_is_searchable_the_moment_it_is_created_and_after_its_subject_changes()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await TicketAsync(ws, "Broken kettle", "It whistles constantly.");
        // Tickets and messages are indexed in the same commit: no waiting.
        var now = await (await ws.Owner.GetAsync("/api/v1/search?q=whistles%20")).ReadAsync<SearchResponse>();
        Assert.Equal(ticket.Id, Assert.Single(now.Tickets).Id);
        (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { subject = "Noisy toaster" })).EnsureSuccessStatusCode();
        var renamed = await (await ws.Owner.GetAsync("/api/v1/search?q=toaster%20")).ReadAsync<SearchResponse>();
        Assert.Equal(ticket.Id, Assert.Single(renamed.Tickets).Id);
        var old = await (await ws.Owner.GetAsync("/api/v1/search?q=kettle%20")).ReadAsync<SearchResponse>();
        Assert.Empty(old.Tickets);
    }

    [Fact]
    public async Task The_ticket_list_text_filter_uses_the_same_search()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await TicketAsync(ws, "سفارش", "سفارش من نرسيده است");
        await TicketAsync(ws, "Other", "Nothing to see");
        var page = await (await ws.Owner.GetAsync("/api/v1/tickets?q=" + Uri.EscapeDataString("نرسیده"))).ReadAsync<TicketPage>();
        Assert.Equal(ticket.Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public async Task Bad_queries_are_clear_problems()
    {
        var ws = await app.CreateWorkspaceAsync();
        var missing = await ws.Owner.GetAsync("/api/v1/search");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.True((await missing.ProblemAsync()).GetProperty("errors").TryGetProperty("q", out _));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ws.Owner.GetAsync("/api/v1/search?q=a&limit=0")).StatusCode);
        var symbols = await ws.Owner.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("\"* OR NOT ( ) : ^ -"));
        Assert.Equal(HttpStatusCode.OK, symbols.StatusCode);
    }
}
