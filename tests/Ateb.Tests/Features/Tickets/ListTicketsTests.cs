using Ateb.Features.Tickets;
using Ateb.Tests.Features.Agents;

namespace Ateb.Tests.Features.Tickets;

public sealed class ListTicketsTests(ClockApp app) : IClassFixture<ClockApp>
{
    private static readonly string[] Priorities = ["low", "urgent", "normal", "high", "urgent", "normal", "low", "high", "normal", "urgent", "normal", "low", "high"];

    private static int Rank(TicketPriority p) => p switch { TicketPriority.Urgent => 0, TicketPriority.High => 1, TicketPriority.Normal => 2, _ => 3 };

    /// <summary>13 tickets; several share an update time to the tick (a frozen clock), so ties must be broken by number.</summary>
    private async Task<(TestWorkspace Ws, List<TicketResponse> All)> SeedAsync()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < Priorities.Length; i++)
        {
            if (i % 4 == 0)
            {
                app.Clock.Now += TimeSpan.FromSeconds(1);
            }
            var created = await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = $"T{i}", requester = new { name = "C" }, priority = Priorities[i] });
            ids.Add((await created.ReadAsync<TicketResponse>()).Id);
        }
        foreach (var i in new[] { 2, 9, 0, 5 })
        {
            app.Clock.Now += TimeSpan.FromSeconds(1);
            await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ids[i]}", new { subject = $"T{i} updated" });
        }
        var all = (await (await ws.Owner.GetAsync("/api/v1/tickets?limit=100")).ReadAsync<TicketPage>()).Items.ToList();
        Assert.Equal(Priorities.Length, all.Count);
        return (ws, all);
    }

    private static async Task<List<TicketResponse>> PageThroughAsync(HttpClient client, string query, int limit)
    {
        var seen = new List<TicketResponse>();
        string? cursor = null;
        for (var pages = 0; pages < 50; pages++)
        {
            var url = $"/api/v1/tickets?limit={limit}&{query}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await (await client.GetAsync(url)).ReadAsync<TicketPage>();
            Assert.True(page.Items.Length <= limit);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            if (cursor is null)
            {
                return seen;
            }
        }
        throw new InvalidOperationException("paging did not end");
    }

    [Theory]
    [InlineData("newest")]
    [InlineData("oldest")]
    [InlineData("updated")]
    [InlineData("priority")]
    public async Task Paging_through_each_sort_shows_every_ticket_once_in_order(string sort)
    {
        var (ws, all) = await SeedAsync();
        var expected = (sort switch
        {
            "oldest" => all.OrderBy(t => t.Number),
            "updated" => all.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Number),
            "priority" => all.OrderBy(t => Rank(t.Priority)).ThenByDescending(t => t.Number),
            _ => all.OrderByDescending(t => t.Number),
        }).Select(t => t.Number).ToList();
        Assert.True(all.GroupBy(t => t.UpdatedAt).Any(g => g.Count() > 1), "the seed should have update-time ties");
        foreach (var limit in new[] { 1, 2, 3, 5, 13, 100 })
        {
            var seen = await PageThroughAsync(ws.Owner, "sort=" + sort, limit);
            Assert.True(expected.SequenceEqual(seen.Select(t => t.Number)), $"sort={sort} limit={limit}: {string.Join(",", seen.Select(t => t.Number))}");
        }
    }

    [Fact]
    public async Task Sorts_combine_with_filters_and_new_tickets_never_disturb_a_paging_in_progress()
    {
        var (ws, all) = await SeedAsync();
        var first = await (await ws.Owner.GetAsync("/api/v1/tickets?sort=priority&priority=urgent,low&limit=4")).ReadAsync<TicketPage>();
        await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "late urgent", requester = new { name = "C" }, priority = "urgent" });
        var rest = await PageThroughAsync(ws.Owner, "sort=priority&priority=urgent,low&cursor=" + Uri.EscapeDataString(first.NextCursor!), 100);
        var expected = all.Where(t => t.Priority is TicketPriority.Urgent or TicketPriority.Low)
            .OrderBy(t => Rank(t.Priority)).ThenByDescending(t => t.Number).Select(t => t.Number);
        Assert.Equal(expected, first.Items.Concat(rest).Select(t => t.Number));
    }

    [Fact]
    public async Task The_default_sort_keeps_its_plain_number_cursor()
    {
        var (ws, all) = await SeedAsync();
        var page = await (await ws.Owner.GetAsync("/api/v1/tickets?limit=2")).ReadAsync<TicketPage>();
        Assert.Equal(page.Items[^1].Number.ToString(System.Globalization.CultureInfo.InvariantCulture), page.NextCursor);
        var next = await (await ws.Owner.GetAsync($"/api/v1/tickets?sort=newest&limit=2&cursor={page.NextCursor}")).ReadAsync<TicketPage>();
        Assert.Equal(all.OrderByDescending(t => t.Number).Skip(2).Take(2).Select(t => t.Number), next.Items.Select(t => t.Number));
    }

    [Theory]
    [InlineData("sort=sideways", "sort")]
    [InlineData("sort=oldest&cursor=12", "cursor")]
    [InlineData("sort=updated&cursor=o.12", "cursor")]
    [InlineData("sort=updated&cursor=u.abc.3", "cursor")]
    [InlineData("sort=priority&cursor=p.9.3", "cursor")]
    [InlineData("sort=priority&cursor=p.-1.3", "cursor")]
    [InlineData("cursor=u.1.2", "cursor")]
    [InlineData("status=new,sleeping", "status")]
    public async Task A_bad_sort_or_cursor_is_a_problem_naming_the_parameter(string query, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.GetAsync("/api/v1/tickets?" + query);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), query);
    }
}
