using System.Diagnostics;

namespace Ateb.Bench.Load;

/// <summary>All samples of one run (runs are bounded, so exact percentiles beat a histogram's approximation).</summary>
internal sealed class Latencies
{
    private readonly List<double> _ms = [];
    private readonly object _gate = new();

    public int Errors { get; private set; }

    public int Count => _ms.Count;

    public void Add(double ms, bool ok)
    {
        lock (_gate)
        {
            _ms.Add(ms);
            if (!ok)
            {
                Errors++;
            }
        }
    }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_ms.Count == 0)
            {
                return double.NaN;
            }
            var sorted = _ms.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}

internal sealed record LoadResult(double Throughput, double P50, double P95, double P99, int Requests, int Errors)
{
    public static LoadResult From(Latencies latencies, double seconds) =>
        new(latencies.Count / seconds, latencies.Percentile(50), latencies.Percentile(95), latencies.Percentile(99), latencies.Count, latencies.Errors);
}
