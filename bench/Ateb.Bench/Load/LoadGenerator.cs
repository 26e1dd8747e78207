using System.Diagnostics;

namespace Ateb.Bench.Load;

/// <summary>Drives a request function. Every loop is bounded by a duration and by an in-flight cap.</summary>
internal static class LoadGenerator
{
    /// <summary>
    /// Open loop: request i is due at start + i / rate, whether or not earlier ones finished, and its latency is
    /// measured from that due time, so a stalled server shows up as latency (no coordinated omission).
    /// </summary>
    public static async Task<LoadResult> OpenLoopAsync(Func<int, Task<bool>> request, double rate, TimeSpan duration, int maxInFlight = 2000)
    {
        var latencies = new Latencies();
        var total = (int)(rate * duration.TotalSeconds);
        var tasks = new List<Task>(total);
        using var inFlight = new SemaphoreSlim(maxInFlight);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i / rate * Stopwatch.Frequency);
            var wait = Latencies.Ms(Stopwatch.GetTimestamp(), due);
            if (wait > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait));
            }
            await inFlight.WaitAsync();
            var n = i;
            tasks.Add(Task.Run(async () =>
            {
                bool ok;
                try
                {
                    ok = await request(n);
                }
                catch (Exception)
                {
                    ok = false;
                }
                finally
                {
                    inFlight.Release();
                }
                latencies.Add(Latencies.Ms(due, Stopwatch.GetTimestamp()), ok);
            }));
        }
        await Task.WhenAll(tasks);
        return LoadResult.From(latencies, Math.Max(duration.TotalSeconds, Latencies.Ms(start, Stopwatch.GetTimestamp()) / 1000));
    }

    /// <summary>Closed loop with <paramref name="concurrency"/> workers: peak throughput only, never latency targets.</summary>
    public static async Task<LoadResult> ClosedLoopAsync(Func<int, Task<bool>> request, int concurrency, TimeSpan duration)
    {
        var latencies = new Latencies();
        var counter = -1;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var began = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await request(Interlocked.Increment(ref counter));
                }
                catch (Exception)
                {
                    ok = false;
                }
                latencies.Add(Latencies.Ms(began, Stopwatch.GetTimestamp()), ok);
            }
        }));
        await Task.WhenAll(workers);
        return LoadResult.From(latencies, Latencies.Ms(start, Stopwatch.GetTimestamp()) / 1000);
    }
}
