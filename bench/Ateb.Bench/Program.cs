using System.Runtime.InteropServices;
using Ateb.Bench.Hosting;
using Ateb.Bench.Workloads;

// bench verbs: all | create | queue | detail | growth | footprint | email | workspace | search | chat | chat-delivery | chat-idle | smoke
//              [--db sqlite|postgres] [--size N] [--runs N] [--seconds S] [--conversations N] [--idle N] [--interval S] [--reuse]
// internal:    refserver echo|hello|signalr   (the same-run reference servers)
if (args is ["diag", var file, ..])
{
    return await Diagnostics.RunAsync(file);
}
if (args is ["refserver", var mode, ..])
{
    return await ReferenceServer.RunAsync(mode);
}

var settings = BenchSettings.Parse(args);
var report = new Report();
var workloads = new Workloads(settings, report);
Console.WriteLine($"Ateb bench: {settings.Workload} on {settings.Db}, size {settings.Size:N0}, {settings.Runs} run(s) of {settings.Duration.TotalSeconds:0.#} s");

var runs = settings.Workload.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
var all = runs.Contains("all") || runs.Contains("smoke");
BenchDatabase? main = null;
async Task<BenchDatabase> MainAsync() => main ??= await Databases.CreateAsync(settings, settings.Size, "main");

if (all || runs.Contains("create"))
{
    await workloads.CreateAsync(settings.IsSmoke ? settings.Size : 10_000);
}
if (all || runs.Contains("queue"))
{
    await workloads.QueueAsync(await MainAsync(), $"{settings.Size:N0} tickets");
}
if (all || runs.Contains("detail"))
{
    await workloads.DetailAsync(await MainAsync(), $"{settings.Size:N0} tickets");
}
if (all || runs.Contains("footprint"))
{
    await workloads.FootprintAsync(await MainAsync());
}
if (all || runs.Contains("email"))
{
    await new EmailWorkload(settings, report).RunAsync(await Databases.CreateAsync(settings, settings.IsSmoke ? 100 : 10_000, "email"));
}
if (all || runs.Contains("growth"))
{
    var small = await Databases.CreateAsync(settings, settings.IsSmoke ? 100 : 10_000, "small");
    await workloads.GrowthAsync(small, await MainAsync());
}
// Its own database: N articles and about 10 N messages (at most 100,000 articles unless asked for by name).
if (all || runs.Contains("search"))
{
    await new SearchWorkload(settings, report).RunAsync(runs.Contains("search") ? settings.Size : Math.Min(settings.Size, 100_000));
}

var chatDelivery = all || runs.Contains("chat") || runs.Contains("chat-delivery");
var chatIdle = all || runs.Contains("chat") || runs.Contains("chat-idle");
if (chatDelivery || chatIdle)
{
    // The smoke reuses its small main desk (a second generated database would double its time); a real run gets a desk of its own.
    var chatDesk = settings.IsSmoke ? await MainAsync() : await Databases.CreateAsync(settings, 10_000, "chat");
    await new ChatWorkload(settings, report).RunAsync(chatDesk, chatDelivery, chatIdle);
}
// Last: it adds the main database's search documents, which the other workloads' figures were measured without.
if (all || runs.Contains("workspace"))
{
    await new WorkspaceWorkload(settings, report).RunAsync(await MainAsync(), $"{settings.Size:N0} tickets");
}

var machine = new Dictionary<string, string>
{
    ["cpus"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["cpu"] = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?" : "?",
    ["memory"] = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim() : "?",
    ["os"] = RuntimeInformation.OSDescription,
    ["dotnet"] = RuntimeInformation.FrameworkDescription,
    ["db"] = settings.Db,
    ["size"] = settings.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["runs"] = settings.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["seconds"] = settings.Duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
};
await report.WriteAsync(settings.Output, machine);
if (report.Rows.Count == 0 || Workloads.FailedRequests > 0)
{
    Console.Error.WriteLine(report.Rows.Count == 0 ? "bench: no workload ran" : $"bench: {Workloads.FailedRequests} requests failed");
    return 1;
}
return 0;
