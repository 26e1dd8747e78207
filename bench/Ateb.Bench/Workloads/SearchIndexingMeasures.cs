using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ateb.Bench.Hosting;
using Ateb.Bench.Load;
using Ateb.Features.Search;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Bench.Workloads;

/// <summary>The search workload's indexing figures measured through a running server: a new article searchable, the app's backfill.</summary>
internal sealed class SearchIndexingMeasures(BenchSettings settings, Report report)
{
    /// <summary>A new article through the API, then its search until it is found: the time from the POST to the first hit.</summary>
    public async Task SearchableAsync(BenchDatabase database)
    {
        var times = new List<double>();
        var failures = 0;
        await using var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], database.AtebEnvironment(), "/health", core: 1);
        using var api = new HttpClient { BaseAddress = new Uri(ateb.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", database.Token);
        var count = settings.IsSmoke ? 3 : 30;
        for (var i = 0; i < count; i++)
        {
            var word = "fresh" + Letters(i) + "q";
            var started = Stopwatch.GetTimestamp();
            using var created = await api.PostAsJsonAsync("/api/v1/kb/articles", new
            {
                translation = new { language = "en", title = $"How to {word} an order", markdown = $"To {word} an order, open the order and choose {word}.", publish = true },
            });
            var found = false;
            while (created.IsSuccessStatusCode && Latencies.Ms(started, Stopwatch.GetTimestamp()) < 10_000)
            {
                var hits = await api.GetFromJsonAsync<JsonElement>("/api/v1/kb/search?q=" + word + "%20");
                if (hits.GetArrayLength() > 0)
                {
                    found = true;
                    break;
                }
                await Task.Delay(5);
            }
            if (found)
            {
                times.Add(Latencies.Ms(started, Stopwatch.GetTimestamp()));
            }
            else
            {
                failures++;
            }
            // Not back to back: one article at a time, as people write them.
            await Task.Delay(settings.IsSmoke ? 10 : 200);
        }
        // In order: the first article after the server's start pays for its cold code paths.
        Console.WriteLine($"  search     new article searchable, ms in order: {string.Join(" ", times.Select(t => t.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}");
        times.Sort();
        var p95 = times.Count == 0 ? double.NaN : times[(int)Math.Ceiling(times.Count * 0.95) - 1];
        var max = times.Count == 0 ? double.NaN : times[^1];
        report.Add(new("search", $"new article searchable, max of {count} (p95)", "ms", max, "p95", p95, $"<= {SearchWorkload.TargetSearchableMs:N0} ms", failures == 0 && max <= SearchWorkload.TargetSearchableMs));
        if (failures > 0)
        {
            Console.WriteLine($"  search: {failures} new articles were not found within 10 s");
            Workloads.AddFailures(failures);
        }
    }

    /// <summary>
    /// The app's own indexing path for text that has no document (after an upgrade or a restore): the newest messages lose
    /// their documents, a server starts with the backfill on, and the documents are counted back.
    /// </summary>
    public async Task BackfillAsync(BenchDatabase database, int count)
    {
        var ws = database.Workspace.WorkspaceId;
        IQueryable<SearchDocument> Messages(AtebDb db) => db.SearchDocuments.IgnoreQueryFilters().Where(d => d.WorkspaceId == ws && d.Kind == SearchKinds.Message);
        long from;
        await using (var db = database.Open())
        {
            count = Math.Min(count, await Messages(db).CountAsync() / 2);
            from = await Messages(db).OrderByDescending(d => d.Id).Skip(count - 1).Select(d => d.Id).FirstAsync();
            await Messages(db).Where(d => d.Id >= from).ExecuteDeleteAsync();
        }
        var environment = database.AtebEnvironment();
        environment["Search__Backfill"] = "true";
        await using var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], environment, "/health", core: 1);
        await using var probe = database.Open();
        var wait = Stopwatch.StartNew();
        long? first = null;
        var left = count;
        while (wait.Elapsed < TimeSpan.FromMinutes(settings.IsSmoke ? 1 : 30))
        {
            // The documents written back get ids after every remaining one: counting those is a short range of the key,
            // where counting all messages (four times a second) read the whole table while the backfill ran.
            left = count - await Messages(probe).CountAsync(d => d.Id >= from);
            if (left < count && first is null)
            {
                first = Stopwatch.GetTimestamp();
            }
            if (left <= 0)
            {
                break;
            }
            await Task.Delay(250);
        }
        var seconds = first is null ? double.NaN : Latencies.Ms(first.Value, Stopwatch.GetTimestamp()) / 1000;
        var rate = (count - left) / Math.Max(seconds, 0.1);
        report.Add(new("search", $"app backfill, docs/s ({count:N0} messages)", "/s", rate, "", double.NaN, $">= {SearchWorkload.TargetDocsPerSecond:N0}/s", left <= 0 && rate >= SearchWorkload.TargetDocsPerSecond));
        if (left > 0)
        {
            Console.WriteLine($"  search: the backfill left {left} of {count} documents unwritten");
            Workloads.AddFailures(1);
        }
    }

    private static string Letters(int n)
    {
        var letters = new Stack<char>();
        do
        {
            letters.Push((char)('a' + n % 26));
            n /= 26;
        }
        while (n > 0);
        return new string([.. letters]);
    }
}
