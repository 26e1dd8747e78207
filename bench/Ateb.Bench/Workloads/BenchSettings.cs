using System.Globalization;

namespace Ateb.Bench.Workloads;

internal sealed record BenchSettings(string Workload, string Db, int Size, int Runs, TimeSpan Duration, string Output, int Seed, string DataFolder)
{
    /// <summary>Chat: conversations (default size / 100), idle connections (size / 10), seconds between a side's messages (10).</summary>
    public int? ChatConversations { get; init; }

    public int? ChatIdle { get; init; }

    public double? ChatInterval { get; init; }

    public bool IsSmoke => Workload == "smoke";

    public string PostgresServer => Environment.GetEnvironmentVariable("ATEB_BENCH_POSTGRES")
        ?? throw new InvalidOperationException("--db postgres needs ATEB_BENCH_POSTGRES (bench.sh sets it).");

    public static BenchSettings Parse(string[] args)
    {
        string Option(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var workload = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        var smoke = workload == "smoke";
        return new BenchSettings(
            workload,
            Option("db", "sqlite"),
            int.Parse(Option("size", smoke ? "300" : "100000"), CultureInfo.InvariantCulture),
            int.Parse(Option("runs", smoke ? "1" : "3"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Option("seconds", smoke ? "1" : "10"), CultureInfo.InvariantCulture)),
            Option("out", "bench/results"),
            int.Parse(Option("seed", "42"), CultureInfo.InvariantCulture),
            Option("data", "bench/data"))
        {
            ChatConversations = Option("conversations", "") is { Length: > 0 } c ? int.Parse(c, CultureInfo.InvariantCulture) : null,
            ChatIdle = Option("idle", "") is { Length: > 0 } i ? int.Parse(i, CultureInfo.InvariantCulture) : null,
            ChatInterval = Option("interval", "") is { Length: > 0 } s ? double.Parse(s, CultureInfo.InvariantCulture) : null,
        };
    }
}
