using System.Data.Common;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ateb.Bench.Data;
using Ateb.Bench.Hosting;
using Ateb.Bench.Load;
using Ateb.Features.Audit;
using Ateb.Features.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Bench.Workloads;

/// <summary>The workloads of issue 3. Each runs <see cref="BenchSettings.Runs"/> times and reports the median.</summary>
internal sealed class Workloads(BenchSettings settings, Report report)
{
    private const int Concurrency = 16;
    private static readonly string Body = new('x', 700);

    private static HttpClient Client(string baseUrl, string? token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30),
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    private static object TicketBody(int i) => new
    {
        subject = $"Order {i} has not arrived",
        requester = new { email = i % 10 == 0 ? $"new{i}.{Environment.ProcessId}@example.net" : $"customer{i % 2000}@example.com", name = "Bench Customer" },
        message = new { text = Body },
        tags = new[] { "shipping" },
    };

    private T Median<T>(IEnumerable<T> runs, Func<T, double> key) => runs.OrderBy(key).ElementAt(settings.Runs / 2);

    /// <summary>Ticket create through the API: peak (closed loop), p99 at half of peak (open loop); echo and raw INSERT references.</summary>
    public async Task CreateAsync(int size, string label = "create")
    {
        var peaks = new List<LoadResult>();
        var halves = new List<LoadResult>();
        var echoPeaks = new List<LoadResult>();
        var raws = new List<LoadResult>();
        for (var run = 0; run < settings.Runs; run++)
        {
            var database = await Databases.CreateAsync(settings, size, label);
            await using (var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], database.AtebEnvironment(), "/health", core: 1))
            {
                using var client = Client(ateb.BaseUrl, database.Token);
                Func<int, Task<bool>> create = async i => (await client.PostAsJsonAsync("/api/v1/tickets", TicketBody(i))).IsSuccessStatusCode;
                await LoadGenerator.ClosedLoopAsync(create, Concurrency, Warmup);
                var peak = await LoadGenerator.ClosedLoopAsync(create, Concurrency, settings.Duration);
                peaks.Add(peak);
                halves.Add(await LoadGenerator.OpenLoopAsync(i => create(1_000_000 + i), Math.Max(1, peak.Throughput / 2), settings.Duration));
            }
            await using (var echo = await ServerProcess.StartAsync(typeof(Workloads).Assembly.Location, ["refserver", "echo"], new Dictionary<string, string>(), "/health", core: 1))
            {
                using var client = Client(echo.BaseUrl, null);
                Func<int, Task<bool>> post = async i => (await client.PostAsJsonAsync("/echo", TicketBody(i))).IsSuccessStatusCode;
                await LoadGenerator.ClosedLoopAsync(post, Concurrency, Warmup);
                echoPeaks.Add(await LoadGenerator.ClosedLoopAsync(post, Concurrency, settings.Duration));
            }
            raws.Add(await RawInsertAsync(database));
        }
        var p = Median(peaks, r => r.Throughput);
        var target = settings.Db == "postgres" ? 2000 : 3000;
        report.Add(new("create", $"tickets/s at peak ({size:N0} in db)", "/s", p.Throughput, "bare Kestrel echo /s", Median(echoPeaks, r => r.Throughput).Throughput, $">= {target}/s", p.Throughput >= target));
        report.Add(new("create", "same, vs raw INSERT of the same rows", "/s", p.Throughput, "raw INSERT /s", Median(raws, r => r.Throughput).Throughput, "ratio >= 0.30", p.Throughput / Median(raws, r => r.Throughput).Throughput >= 0.3));
        var half = Median(halves, r => r.P99);
        report.Add(new("create", $"p99 at half of peak ({half.Throughput:N0}/s)", "ms", half.P99, "p50", half.P50, "<= 25 ms", half.P99 <= 25));
        ReportErrors("create", peaks.Concat(halves));
    }

    /// <summary>The rows one create writes (ticket, message, audit entry) inserted raw in one transaction, same concurrency.</summary>
    private async Task<LoadResult> RawInsertAsync(BenchDatabase database)
    {
        await using var db = database.Open();
        var statements = new[] { typeof(Ticket), typeof(Message), typeof(AuditEntry) }.Select(t => BulkWriter.Insert(db, t)).ToArray();
        var ws = database.Workspace.WorkspaceId;
        var requester = await db.Customers.IgnoreQueryFilters().Where(c => c.WorkspaceId == ws).Select(c => c.Id).FirstAsync();
        var number = 10_000_000L;
        Func<int, Task<bool>> insert = async i =>
        {
            await using var connection = database.Open();
            await connection.Database.OpenConnectionAsync();
            var dbConnection = connection.Database.GetDbConnection();
            await using var transaction = await dbConnection.BeginTransactionAsync();
            var now = DateTimeOffset.UtcNow;
            var ticket = new Ticket { Id = Guid.CreateVersion7(), WorkspaceId = ws, Number = Interlocked.Increment(ref number), Subject = $"Order {i}", RequesterId = requester, CreatedAt = now };
            var message = new Message { WorkspaceId = ws, TicketId = ticket.Id, BodyText = Body, CreatedAt = now };
            var audit = new AuditEntry { WorkspaceId = ws, EntityType = "ticket", EntityId = ticket.Id, ActorName = "bench", Action = "created", At = now };
            foreach (var (entity, statement) in new object[] { ticket, message, audit }.Zip(statements))
            {
                await using DbCommand command = dbConnection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = statement.Sql;
                statement.AddParameters(command);
                statement.Bind(command, entity);
                await command.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
            return true;
        };
        return await LoadGenerator.ClosedLoopAsync(insert, Concurrency, settings.Duration);
    }

    /// <summary>Agent queue view: first page of the unsolved view and the counts of the 20 standard views, vs the same SQL raw.</summary>
    public async Task<(double Page, double Counts)> QueueAsync(BenchDatabase database, string label, bool reportRows = true)
    {
        var rate = settings.IsSmoke ? 5 : 40;
        var pages = new List<LoadResult>();
        var counts = new List<LoadResult>();
        var rawPages = new List<LoadResult>();
        var rawCounts = new List<LoadResult>();
        await using var raw = new RawSql(database);
        for (var run = 0; run < settings.Runs; run++)
        {
            await using var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], database.AtebEnvironment(), "/health", core: 1);
            using var client = Client(ateb.BaseUrl, database.Token);
            Func<int, Task<bool>> page = async _ => (await client.GetAsync("/api/v1/tickets?status=new,open,pending,on_hold&limit=25")).IsSuccessStatusCode;
            Func<int, Task<bool>> count = async _ => (await client.GetAsync("/api/v1/views")).IsSuccessStatusCode;
            await LoadGenerator.OpenLoopAsync(page, rate, Warmup);
            await LoadGenerator.OpenLoopAsync(count, rate, Warmup);
            pages.Add(await LoadGenerator.OpenLoopAsync(page, rate, settings.Duration));
            counts.Add(await LoadGenerator.OpenLoopAsync(count, rate, settings.Duration));
            rawPages.Add(await LoadGenerator.OpenLoopAsync(async _ => { await raw.QueuePageAsync(); return true; }, rate, settings.Duration));
            // One fresh count is the reference: at the view rate the raw query alone would saturate a core at a million tickets.
            rawCounts.Add(await LoadGenerator.ClosedLoopAsync(async _ => { await raw.CountsAsync(); return true; }, 1, settings.Duration));
        }
        var (p, c) = (Median(pages, r => r.P95), Median(counts, r => r.P95));
        var (rp, rc) = (Median(rawPages, r => r.P95).P95, Median(rawCounts, r => r.P95).P95);
        if (reportRows)
        {
            report.Add(new("queue", $"page p95 ({label})", "ms", p.P95, "same SQL raw p95", rp, "<= 50 ms and ratio <= 1.5", p.P95 <= 50 && p.P95 / rp <= 1.5));
            report.Add(new("queue", $"20 view counts p95 ({label})", "ms", c.P95, "one fresh count, raw SQL p95", rc, "<= 100 ms and ratio <= 1.5", c.P95 <= 100 && c.P95 / rc <= 1.5));
            ReportErrors("queue", pages.Concat(counts));
        }
        return (p.P95, c.P95);
    }

    /// <summary>Ticket detail with 50 messages through the API, vs the same joins raw.</summary>
    public async Task<double> DetailAsync(BenchDatabase database, string label, bool reportRows = true)
    {
        var rate = settings.IsSmoke ? 5 : 50;
        var ids = await DetailIdsAsync(database);
        var runs = new List<LoadResult>();
        var raws = new List<LoadResult>();
        await using var raw = new RawSql(database);
        for (var run = 0; run < settings.Runs; run++)
        {
            await using var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], database.AtebEnvironment(), "/health", core: 1);
            using var client = Client(ateb.BaseUrl, database.Token);
            Func<int, Task<bool>> detail = async i => (await client.GetAsync($"/api/v1/tickets/{ids[i % ids.Length]}")).IsSuccessStatusCode;
            await LoadGenerator.OpenLoopAsync(detail, rate, Warmup);
            runs.Add(await LoadGenerator.OpenLoopAsync(detail, rate, settings.Duration));
            raws.Add(await LoadGenerator.OpenLoopAsync(async i => { await raw.DetailAsync(ids[i % ids.Length]); return true; }, rate, settings.Duration));
        }
        var d = Median(runs, r => r.P95);
        var rd = Median(raws, r => r.P95).P95;
        if (reportRows)
        {
            report.Add(new("detail", $"50-message ticket p95 ({label})", "ms", d.P95, "same joins raw p95", rd, "<= 20 ms", d.P95 <= 20));
            ReportErrors("detail", runs);
        }
        return d.P95;
    }

    private int CreateProbeRate => settings.IsSmoke ? 5 : 50;

    /// <summary>Ticket create at a fixed, modest rate (well under peak on either size), p99 as the median of the runs.</summary>
    private async Task<double> CreateP99Async(BenchDatabase database)
    {
        var runs = new List<LoadResult>();
        for (var run = 0; run < settings.Runs; run++)
        {
            await using var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], database.AtebEnvironment(), "/health", core: 1);
            using var client = Client(ateb.BaseUrl, database.Token);
            Func<int, Task<bool>> create = async i => (await client.PostAsJsonAsync("/api/v1/tickets", TicketBody(run * 1_000_000 + i))).IsSuccessStatusCode;
            await LoadGenerator.OpenLoopAsync(create, CreateProbeRate, Warmup);
            runs.Add(await LoadGenerator.OpenLoopAsync(i => create(500_000 + i), CreateProbeRate, settings.Duration));
        }
        ReportErrors("growth", runs);
        return Median(runs, r => r.P99).P99;
    }

    private static async Task<Guid[]> DetailIdsAsync(BenchDatabase database)
    {
        await using var db = database.Open();
        var ws = database.Workspace.WorkspaceId;
        return [.. await db.Tickets.IgnoreQueryFilters().Where(t => t.WorkspaceId == ws && t.Number <= Generator.DetailTickets).Select(t => t.Id).ToListAsync()];
    }

    /// <summary>Cold start to the first successful request, and idle memory, vs an empty ASP.NET Core app.</summary>
    public async Task FootprintAsync(BenchDatabase database)
    {
        var starts = new List<(double Ateb, double Hello, double AtebMb, double HelloMb)>();
        var idle = settings.IsSmoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
        for (var run = 0; run < settings.Runs; run++)
        {
            await using var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], database.AtebEnvironment(), "/health", core: 1);
            await Task.Delay(idle);
            var atebMb = ateb.ResidentMb();
            await using var hello = await ServerProcess.StartAsync(typeof(Workloads).Assembly.Location, ["refserver", "hello"], new Dictionary<string, string>(), "/health", core: 1);
            await Task.Delay(idle);
            starts.Add((ateb.StartupTime.TotalMilliseconds, hello.StartupTime.TotalMilliseconds, atebMb, hello.ResidentMb()));
        }
        var s = starts.OrderBy(x => x.Ateb).ElementAt(settings.Runs / 2);
        var m = starts.OrderBy(x => x.AtebMb).ElementAt(settings.Runs / 2);
        report.Add(new("footprint", "cold start to first 200", "ms", s.Ateb, "empty ASP.NET Core app", s.Hello, "<= 1500 ms", s.Ateb <= 1500));
        report.Add(new("footprint", "idle resident memory", "MB", m.AtebMb, "empty ASP.NET Core app", m.HelloMb, "<= 150 MB", m.AtebMb <= 150));
    }

    /// <summary>The same workloads at 10,000 tickets and at the large size: p95 at the large size at most twice the small.</summary>
    public async Task GrowthAsync(BenchDatabase small, BenchDatabase large)
    {
        var (smallPage, smallCounts) = await QueueAsync(small, "small", reportRows: false);
        var (largePage, largeCounts) = await QueueAsync(large, "large", reportRows: false);
        var smallDetail = await DetailAsync(small, "small", reportRows: false);
        var largeDetail = await DetailAsync(large, "large", reportRows: false);
        // Last, because it adds tickets to both databases.
        var smallCreate = await CreateP99Async(small);
        var largeCreate = await CreateP99Async(large);
        var sizes = $"{small.Workspace.Tickets:N0} -> {large.Workspace.Tickets:N0}";
        report.Add(new("growth", $"create p99 at {CreateProbeRate}/s, {sizes}", "ms", largeCreate, "p99 at small size", smallCreate, "ratio <= 2", largeCreate / smallCreate <= 2));
        report.Add(new("growth", $"page p95, {sizes}", "ms", largePage, "p95 at small size", smallPage, "ratio <= 2", largePage / smallPage <= 2));
        report.Add(new("growth", $"view counts p95, {sizes}", "ms", largeCounts, "p95 at small size", smallCounts, "ratio <= 2", largeCounts / smallCounts <= 2));
        report.Add(new("growth", $"detail p95, {sizes}", "ms", largeDetail, "p95 at small size", smallDetail, "ratio <= 2", largeDetail / smallDetail <= 2));
    }

    // Tiered compilation keeps recompiling hot code for several seconds after start; measure after it settles.
    private TimeSpan Warmup => settings.IsSmoke ? TimeSpan.FromMilliseconds(300) : settings.Duration < TimeSpan.FromSeconds(8) ? TimeSpan.FromSeconds(8) : settings.Duration;

    private static void ReportErrors(string workload, IEnumerable<LoadResult> results)
    {
        var errors = results.Sum(r => r.Errors);
        if (errors > 0)
        {
            Console.WriteLine($"  {workload}: {errors} failed requests");
            FailedRequests += errors;
        }
    }

    public static int FailedRequests { get; private set; }

    public static void AddFailures(int count) => FailedRequests += count;
}
