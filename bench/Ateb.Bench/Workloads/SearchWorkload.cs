using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ateb.Bench.Data;
using Ateb.Bench.Hosting;
using Ateb.Bench.Load;
using Ateb.Features.Kb;
using Ateb.Features.Search;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Search;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Bench.Workloads;

/// <summary>
/// Search at scale (issue 6): N published articles and about 10 N ticket messages (N tickets of 9 to 11 messages) of
/// generated text in English, Persian, Arabic and Welsh, indexed with the app's own SearchIndex. Measures, through the
/// API, the p95 of rare words, very common words, two-word AND and phrase queries over the messages
/// (<c>/api/v1/search</c>) and over the articles (<c>/api/v1/kb/search</c>), each against the engine query alone run
/// in-process on the same database (the same-run reference); indexing speed (bulk, and the app's own backfill); and how
/// long a new article takes to become searchable.
/// </summary>
internal sealed class SearchWorkload(BenchSettings settings, Report report)
{
    public const double TargetMs = 50;
    public const double TargetDocsPerSecond = 1000;
    public const double TargetSearchableMs = 1000;

    private sealed record QueryClass(string Name, Func<Vocabulary, string, string> Query);

    /// <summary>Frequency ranks in the generator's Zipf vocabulary (0 is the commonest word, a stopword in every language).</summary>
    private static readonly QueryClass[] Classes =
    [
        new("rare word", (v, l) => v.Ranked(l, 3000) + " "),
        new("very common word", (v, l) => v.Ranked(l, 0) + " "),
        new("AND of two words", (v, l) => v.Ranked(l, 30) + " " + v.Ranked(l, 45) + " "),
        new("phrase", (v, l) => "\"" + v.Ranked(l, 30) + " " + v.Ranked(l, 31) + "\""),
        new("phrase of common words", (v, l) => "\"" + v.Ranked(l, 5) + " " + v.Ranked(l, 6) + "\""),
    ];

    private sealed record Endpoint(string Name, string Path, string[] Kinds, int Limit, Func<JsonElement, int> Count);

    private static readonly Endpoint[] Endpoints =
    [
        new("messages /api/v1/search", "/api/v1/search?q=", [SearchKinds.Ticket, SearchKinds.Message, SearchKinds.Customer], 80,
            r => r.GetProperty("tickets").GetArrayLength()),
        new("articles /api/v1/kb/search", "/api/v1/kb/search?q=", [SearchKinds.Article], 50, r => r.GetArrayLength()),
    ];

    public async Task RunAsync(int articles)
    {
        var database = await Databases.CreateAsync(settings, articles, "search", (9, 11));
        var messages = await CountMessagesAsync(database);
        if (await CountArticlesAsync(database) == 0)
        {
            await ArticlesAsync(database, articles);
        }
        var (documents, elapsed) = await SearchLoad.IndexAsync(database, ticketsPerChunk: 5_000);
        var label = $"{articles:N0} articles, {messages:N0} messages";
        // A reused database (--reuse) is indexed already: nothing to measure.
        if (documents > 0)
        {
            report.Add(new("search", $"bulk indexing, docs/s ({documents:N0} docs)", "/s", documents / elapsed.TotalSeconds, "", double.NaN,
                $">= {TargetDocsPerSecond:N0}/s", documents / elapsed.TotalSeconds >= TargetDocsPerSecond));
        }

        var vocabulary = new Vocabulary(seed: settings.Seed);
        var results = new Dictionary<(string, string), (List<LoadResult> Api, List<LoadResult> Engine)>();
        var empty = new HashSet<string>();
        for (var run = 0; run < settings.Runs; run++)
        {
            await using var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], database.AtebEnvironment(), "/health", core: 1);
            using var api = new HttpClient { BaseAddress = new Uri(ateb.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", database.Token);
            var warmup = Stopwatch.StartNew();
            for (var i = 0; warmup.Elapsed < Warmup; i++)
            {
                var endpoint = Endpoints[i % Endpoints.Length];
                await api.GetAsync(endpoint.Path + Uri.EscapeDataString(Classes[i / Endpoints.Length % Classes.Length].Query(vocabulary, Vocabulary.Languages[i % 4])));
            }
            foreach (var endpoint in Endpoints)
            {
                foreach (var kind in Classes)
                {
                    var queries = Vocabulary.Languages.Select(l => kind.Query(vocabulary, l)).ToArray();
                    var counts = new int[queries.Length];
                    var apiRun = await LoadGenerator.ClosedLoopAsync(async i =>
                    {
                        using var response = await api.GetAsync(endpoint.Path + Uri.EscapeDataString(queries[i % queries.Length]));
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            return false;
                        }
                        counts[i % queries.Length] = endpoint.Count(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
                        return true;
                    }, 1, settings.Duration);
                    // Every generated query has matches: an empty answer is fast and wrong.
                    empty.UnionWith(queries.Where((_, i) => counts[i] == 0).Select(q => $"{endpoint.Name} «{q.Trim()}»"));
                    var engineRun = await EngineAsync(database, endpoint, queries);
                    Console.WriteLine($"  search     {kind.Name}, {endpoint.Name}: API p50 {Report.F(apiRun.P50)} p95 {Report.F(apiRun.P95)} ms ({apiRun.Requests} requests); "
                        + $"engine alone p95 {Report.F(engineRun.P95)} ms; results per language {string.Join("/", counts)}");
                    var key = (endpoint.Name, kind.Name);
                    if (!results.TryGetValue(key, out var lists))
                    {
                        results[key] = lists = ([], []);
                    }
                    lists.Api.Add(apiRun);
                    lists.Engine.Add(engineRun);
                }
            }
        }
        var errors = 0;
        foreach (var ((endpoint, kind), (apis, engines)) in results)
        {
            var a = apis.OrderBy(r => r.P95).ElementAt(settings.Runs / 2);
            var e = engines.OrderBy(r => r.P95).ElementAt(settings.Runs / 2);
            report.Add(new("search", $"{kind}, {endpoint} p95 ({label})", "ms", a.P95, "engine query alone p95", e.P95, $"<= {TargetMs:0} ms", a.P95 <= TargetMs));
            errors += apis.Sum(r => r.Errors);
        }
        if (empty.Count > 0)
        {
            Console.WriteLine($"  search: {empty.Count} queries found nothing: {string.Join(", ", empty)}");
            errors += settings.IsSmoke ? 0 : empty.Count;
        }
        var indexing = new SearchIndexingMeasures(settings, report);
        await indexing.SearchableAsync(database);
        await indexing.BackfillAsync(database, settings.IsSmoke ? 200 : 5_000);
        if (errors > 0)
        {
            Console.WriteLine($"  search: {errors} failed or wrong responses");
            Workloads.AddFailures(errors);
        }
    }

    private TimeSpan Warmup => settings.IsSmoke ? TimeSpan.FromMilliseconds(300) : settings.Duration < TimeSpan.FromSeconds(8) ? TimeSpan.FromSeconds(8) : settings.Duration;

    /// <summary>The engine's own query for the same text (as the endpoint builds it), in-process, one at a time.</summary>
    private async Task<LoadResult> EngineAsync(BenchDatabase database, Endpoint endpoint, string[] queries)
    {
        ISearchEngine engine = database.Provider == "postgres" ? new PostgresSearchEngine() : new SqliteSearchEngine();
        var ws = database.Workspace.WorkspaceId;
        return await LoadGenerator.ClosedLoopAsync(async i =>
        {
            var q = queries[i % queries.Length];
            await using var db = database.Open();
            var query = SearchQuery.From(TextNormalizer.ParseQuery(q), !char.IsWhiteSpace(q[^1]), endpoint.Kinds, includeInternal: true, endpoint.Limit);
            return (await engine.SearchAsync(db, ws, query, CancellationToken.None)).Count >= 0;
        }, 1, settings.Duration);
    }

    private static async Task<int> CountArticlesAsync(BenchDatabase database)
    {
        await using var db = database.Open();
        return await db.KbTranslations.IgnoreQueryFilters().CountAsync(t => t.WorkspaceId == database.Workspace.WorkspaceId);
    }

    private static async Task<int> CountMessagesAsync(BenchDatabase database)
    {
        await using var db = database.Open();
        return await db.Messages.IgnoreQueryFilters().CountAsync(m => m.WorkspaceId == database.Workspace.WorkspaceId);
    }

    /// <summary>Published articles, one translation each, in the customers' language mix; titles of 3 to 8 words, bodies of 60 to 200.</summary>
    private async Task ArticlesAsync(BenchDatabase database, int count)
    {
        var stopwatch = Stopwatch.StartNew();
        var vocabulary = new Vocabulary(seed: settings.Seed);
        var random = new Random(settings.Seed + 6);
        var ws = database.Workspace.WorkspaceId;
        var start = new DateTimeOffset(2024, 11, 1, 0, 0, 0, TimeSpan.Zero);
        const int chunk = 20_000;
        for (var from = 0; from < count; from += chunk)
        {
            var batch = new List<KbArticle>(chunk);
            var translations = new List<KbTranslation>(chunk);
            for (var n = from; n < Math.Min(count, from + chunk); n++)
            {
                var at = start + TimeSpan.FromDays(730) * (n / (double)count);
                var language = Vocabulary.Languages[random.Next(10) switch { < 5 => 0, < 7 => 1, < 9 => 2, _ => 3 }];
                var article = new KbArticle { Id = Generator.SeededGuid(at, random), WorkspaceId = ws, CreatedAt = at, UpdatedAt = at };
                var text = vocabulary.Sentence(language, random, 60, 200);
                batch.Add(article);
                translations.Add(new KbTranslation
                {
                    Id = Generator.SeededGuid(at, random), WorkspaceId = ws, ArticleId = article.Id, Language = language,
                    Title = vocabulary.Sentence(language, random, 3, 8), Markdown = text, Html = "<p>" + WebUtility.HtmlEncode(text) + "</p>",
                    State = KbState.Published, PublishedAt = at, UpdatedAt = at,
                });
            }
            await using var db = database.Open();
            var bulk = new BulkWriter(db);
            await bulk.WriteAsync(batch);
            await bulk.WriteAsync(translations);
            Console.Write($"\r  generating articles: {Math.Min(count, from + chunk):N0}        ");
        }
        Console.WriteLine($"\r  generated {count:N0} articles in {stopwatch.Elapsed.TotalSeconds:0.0} s        ");
    }
}
