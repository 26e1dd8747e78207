using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ateb.Bench.Data;
using Ateb.Bench.Hosting;
using Ateb.Bench.Load;
using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Bench.Workloads;

/// <summary>
/// The agent workspace's pages as a browser first gets them: a GET with the agent's sign-in cookie returns the page
/// prerendered on the server, data loading included, so its response time is the page's server render time. Each page
/// is requested sequentially (one at a time, after warm-up); the same-run reference is the JSON API call that returns
/// the same data from the same server. Every response is checked: a redirect to /signin or an empty list is fast and wrong.
/// </summary>
internal sealed partial class WorkspaceWorkload(BenchSettings settings, Report report)
{
    /// <summary>Target of the issue: each page under this p95, server time, at 100,000 tickets.</summary>
    public const double TargetMs = 200;

    /// <summary>An English word of the generator's common vocabulary: present in thousands of documents at 100,000 tickets.</summary>
    public const string SearchWord = "refund";

    private sealed record Page(string Name, string Path, string ApiPath, Func<string, string, string?> Verify);

    public async Task RunAsync(BenchDatabase database, string label)
    {
        await SearchLoad.IndexAsync(database);
        await MineAsync(database);
        var ticket = await DetailTicketAsync(database);
        const string unsolved = "status=new,open,pending,on_hold";
        Page[] pages =
        [
            new("inbox /?view=unsolved", "/?view=unsolved", $"/api/v1/tickets?{unsolved}&limit=25", SameList),
            new("inbox /?view=mine", "/?view=mine", $"/api/v1/tickets?{unsolved}&assignee=me&limit=25", SameList),
            new($"inbox /?q={SearchWord}", $"/?q={SearchWord}", $"/api/v1/tickets?q={SearchWord}&limit=25", SameList),
            new($"ticket /tickets/{ticket.Number} ({ticket.Messages} messages)", $"/tickets/{ticket.Number}", $"/api/v1/tickets/{ticket.Id}", SameTicket),
        ];
        var results = pages.ToDictionary(p => p.Name, _ => (Pages: new List<LoadResult>(), Apis: new List<LoadResult>(), Cpu: new List<(double Page, double Api)>()));
        for (var run = 0; run < settings.Runs; run++)
        {
            await using var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], database.AtebEnvironment(), "/health", core: 1);
            using var browser = await SignInAsync(ateb.BaseUrl);
            using var api = new HttpClient { BaseAddress = new Uri(ateb.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", database.Token);
            // Fail loudly before measuring anything: each page must render what the API returns.
            foreach (var page in pages)
            {
                var (apiStatus, json) = await GetAsync(api, page.ApiPath);
                var (status, html) = await GetAsync(browser, page.Path);
                if (apiStatus != HttpStatusCode.OK || status != HttpStatusCode.OK || page.Verify(html, json) is { } problem)
                {
                    throw new InvalidOperationException($"workspace: GET {page.Path} is not the rendered page (page {(int)status}, API {(int)apiStatus} for {page.ApiPath}): "
                        + (status == HttpStatusCode.OK && apiStatus == HttpStatusCode.OK ? page.Verify(html, json) : Snippet(html)));
                }
            }
            // Warm-up: every page and API call in turn, as long as the measurement (tiered JIT).
            var warmup = Stopwatch.StartNew();
            for (var i = 0; warmup.Elapsed < Warmup; i++)
            {
                var page = pages[i % pages.Length];
                await GetAsync(browser, page.Path);
                await GetAsync(api, page.ApiPath);
            }
            foreach (var page in pages)
            {
                // The expected data for the checks of the measured requests: the API's answer (no writes happen meanwhile).
                var (_, expected) = await GetAsync(api, page.ApiPath);
                var cpu = ateb.CpuMs();
                // Each response is checked after the loop, so that parsing it is not counted as the page's time.
                var bodies = new List<string>();
                var pageRun = await LoadGenerator.ClosedLoopAsync(async _ =>
                {
                    var (status, html) = await GetAsync(browser, page.Path);
                    bodies.Add(html);
                    return status == HttpStatusCode.OK;
                }, 1, settings.Duration);
                var pageCpu = (ateb.CpuMs() - cpu) / pageRun.Requests;
                var wrong = bodies.Select(html => page.Verify(html, expected)).Where(problem => problem is not null).ToList();
                if (wrong.Count > 0)
                {
                    Console.WriteLine($"  workspace  {page.Name}: {wrong.Count} responses are not the rendered page, e.g. {wrong[0]}");
                    pageRun = pageRun with { Errors = pageRun.Errors + wrong.Count };
                }
                cpu = ateb.CpuMs();
                var apiRun = await LoadGenerator.ClosedLoopAsync(async _ => (await GetAsync(api, page.ApiPath)).Status == HttpStatusCode.OK, 1, settings.Duration);
                var apiCpu = (ateb.CpuMs() - cpu) / apiRun.Requests;
                Console.WriteLine($"  workspace  {page.Name}: {pageRun.Requests} requests p50 {Report.F(pageRun.P50)} p95 {Report.F(pageRun.P95)} p99 {Report.F(pageRun.P99)} ms; "
                    + $"server CPU {Report.F(pageCpu)} ms a page; API {apiRun.Requests} requests p95 {Report.F(apiRun.P95)} ms, server CPU {Report.F(apiCpu)} ms a call");
                results[page.Name].Pages.Add(pageRun);
                results[page.Name].Apis.Add(apiRun);
                results[page.Name].Cpu.Add((pageCpu, apiCpu));
            }
        }
        var errors = 0;
        foreach (var page in pages)
        {
            var (runs, apis, cpus) = results[page.Name];
            var p = runs.OrderBy(r => r.P95).ElementAt(settings.Runs / 2);
            var a = apis.OrderBy(r => r.P95).ElementAt(settings.Runs / 2);
            report.Add(new("workspace", $"{page.Name} p50 ({label})", "ms", p.P50, "JSON API of the same data p50", a.P50, "", null));
            report.Add(new("workspace", $"{page.Name} p95 ({label})", "ms", p.P95, "JSON API of the same data p95", a.P95, $"<= {TargetMs:0} ms", p.P95 <= TargetMs));
            report.Add(new("workspace", $"{page.Name} p99 ({label})", "ms", p.P99, "JSON API of the same data p99", a.P99, "", null));
            // Server CPU per request: what the page costs the server's core, whatever else the machine is doing.
            var c = cpus.OrderBy(x => x.Page).ElementAt(settings.Runs / 2);
            report.Add(new("workspace", $"{page.Name} server CPU per request ({label})", "ms", c.Page, "JSON API of the same data", cpus.OrderBy(x => x.Api).ElementAt(settings.Runs / 2).Api, "", null));
            errors += runs.Sum(r => r.Errors) + apis.Sum(r => r.Errors);
        }
        if (errors > 0)
        {
            Console.WriteLine($"  workspace: {errors} failed or wrong responses");
            Workloads.AddFailures(errors);
        }
    }

    private TimeSpan Warmup => settings.IsSmoke ? TimeSpan.FromMilliseconds(300) : settings.Duration < TimeSpan.FromSeconds(8) ? TimeSpan.FromSeconds(8) : settings.Duration;

    /// <summary>Signs in as the workspace owner through the API: the `ateb` cookie is what the pages accept (tokens are API-only).</summary>
    private static async Task<HttpClient> SignInAsync(string baseUrl)
    {
        var cookies = new CookieContainer();
        // No automatic redirects: a page answering with a redirect to /signin must count as a failure, not as a fast page.
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30),
        };
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "owner@bench.test", password = "bench-password" });
        if (!response.IsSuccessStatusCode || cookies.GetCookies(client.BaseAddress).All(c => c.Name != "ateb"))
        {
            client.Dispose();
            throw new InvalidOperationException($"workspace: sign-in answered {(int)response.StatusCode} without an ateb cookie: {await response.Content.ReadAsStringAsync()}");
        }
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.Location is { } to && body.Length == 0 ? $"(a redirect to {to})" : body);
    }

    /// <summary>The page's list shows the API's page of tickets, same numbers in the same order, with their subjects.</summary>
    private static string? SameList(string html, string json)
    {
        var items = JsonDocument.Parse(json).RootElement.GetProperty("items").EnumerateArray()
            .Select(t => (Number: t.GetProperty("number").GetInt64(), Subject: t.GetProperty("subject").GetString()!)).ToList();
        if (items.Count == 0)
        {
            return "the API returns no tickets for this list, so the page would not show a list to measure";
        }
        if (!html.Contains("data-testid=\"ticket-list\"", StringComparison.Ordinal))
        {
            return "no ticket list in the page: " + Snippet(html);
        }
        var rows = DataRow().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (!rows.SequenceEqual(items.Select(i => i.Number)))
        {
            return $"the page lists tickets {string.Join(",", rows.Take(5))}… where the API lists {string.Join(",", items.Take(5).Select(i => i.Number))}…";
        }
        var text = WebUtility.HtmlDecode(html);
        return items.FirstOrDefault(i => !text.Contains(i.Subject, StringComparison.Ordinal)) is { Subject: not null } missing
            ? $"the subject of #{missing.Number} is not in the page" : null;
    }

    /// <summary>The ticket page shows the subject, every message of the timeline (by id) with its text, and the customer panel.</summary>
    private static string? SameTicket(string html, string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var subject = root.GetProperty("ticket").GetProperty("subject").GetString()!;
        var messages = root.GetProperty("messages").EnumerateArray().Select(m => (Id: m.GetProperty("id").GetGuid(), Text: m.GetProperty("bodyText").GetString()!)).ToList();
        if (!html.Contains("data-testid=\"timeline\"", StringComparison.Ordinal) || !html.Contains("data-testid=\"customer-panel\"", StringComparison.Ordinal))
        {
            return "no timeline or customer panel in the page: " + Snippet(html);
        }
        var shown = DataMessage().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        if (!shown.SequenceEqual(messages.Select(m => m.Id)))
        {
            return $"the timeline shows {shown.Count} messages where the API returns {messages.Count}";
        }
        var text = WebUtility.HtmlDecode(html);
        if (!text.Contains(subject, StringComparison.Ordinal))
        {
            return "the subject is not in the page";
        }
        return messages.FirstOrDefault(m => !text.Contains(m.Text, StringComparison.Ordinal)) is { Text: not null } missing
            ? $"the text of message {missing.Id} is not in the page" : null;
    }

    private static string Snippet(string html)
    {
        var title = Title().Match(html);
        return title.Success ? $"title \"{WebUtility.HtmlDecode(title.Groups[1].Value)}\"" : html[..Math.Min(300, html.Length)];
    }

    [GeneratedRegex("data-row=\"(\\d+)\"")]
    private static partial Regex DataRow();

    [GeneratedRegex("data-message=\"([0-9a-fA-F-]{36})\"")]
    private static partial Regex DataMessage();

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex Title();

    /// <summary>
    /// The owner (the agent the bench signs in as) is one of 41 agents: about 200 unsolved tickets at 100,000, but often
    /// none in a small desk. Give a small desk's owner a page of them so "mine" renders a full list at every size.
    /// </summary>
    private static async Task MineAsync(BenchDatabase database)
    {
        await using var db = database.Open();
        var (ws, owner) = (database.Workspace.WorkspaceId, database.Workspace.Agents[0]);
        TicketStatus[] unsolved = [TicketStatus.New, TicketStatus.Open, TicketStatus.Pending, TicketStatus.OnHold];
        var mine = db.Tickets.IgnoreQueryFilters().Where(t => t.WorkspaceId == ws && unsolved.Contains(t.Status));
        var missing = 25 - await mine.CountAsync(t => t.AssigneeId == owner);
        if (missing > 0)
        {
            var ids = await mine.Where(t => t.AssigneeId != owner || t.AssigneeId == null).OrderByDescending(t => t.Number).Take(missing).Select(t => t.Id).ToListAsync();
            await db.Tickets.IgnoreQueryFilters().Where(t => ids.Contains(t.Id)).ExecuteUpdateAsync(u => u.SetProperty(t => t.AssigneeId, owner));
        }
    }

    /// <summary>The oldest of the generator's 50-message tickets (its number, id and message count, read back from the database).</summary>
    private static async Task<(long Number, Guid Id, int Messages)> DetailTicketAsync(BenchDatabase database)
    {
        await using var db = database.Open();
        var ws = database.Workspace.WorkspaceId;
        var ticket = await db.Tickets.IgnoreQueryFilters().Where(t => t.WorkspaceId == ws && t.Number == 1)
            .Select(t => new { t.Number, t.Id, Messages = db.Messages.IgnoreQueryFilters().Count(m => m.TicketId == t.Id) }).SingleAsync();
        if (ticket.Messages != Generator.DetailMessages)
        {
            throw new InvalidOperationException($"workspace: ticket #1 has {ticket.Messages} messages, not {Generator.DetailMessages}");
        }
        return (ticket.Number, ticket.Id, ticket.Messages);
    }
}
