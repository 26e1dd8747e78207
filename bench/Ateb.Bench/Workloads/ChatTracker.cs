using System.Diagnostics;
using Ateb.Bench.Load;
using Ateb.Features.Chat;

namespace Ateb.Bench.Workloads;

/// <summary>One side of a chat exchange run: the latencies of each direction, what went wrong, and the server's CPU a message.</summary>
internal sealed record ExchangeResult(Latencies[] Latencies, int Failures, double CpuPerMessage)
{
    public double P99(int direction) => Latencies[direction].Percentile(99);
}

/// <summary>What was sent when, what arrived how often, in which order. Direction 0 is visitor to agent.</summary>
internal sealed class ChatTracker
{
    private readonly int[,] _last;
    private readonly int[,][] _count;

    public long[,][] Sent { get; }

    public bool[,][] Ok { get; }

    public Latencies[] Measured { get; } = [new(), new()];

    public (long From, long To) Window { get; set; }

    public int SendErrors;
    public int Duplicates;
    public int OutOfOrder;
    public int Delivered;
    public int Stray;

    public ChatTracker(int conversations, int slots)
    {
        _last = new int[conversations, 2];
        _count = new int[conversations, 2][];
        Sent = new long[conversations, 2][];
        Ok = new bool[conversations, 2][];
        for (var c = 0; c < conversations; c++)
        {
            for (var d = 0; d < 2; d++)
            {
                _last[c, d] = -1;
                _count[c, d] = new int[slots];
                Sent[c, d] = new long[slots];
                Ok[c, d] = new bool[slots];
            }
        }
    }

    /// <summary>A Message callback: the text says which conversation, direction and sequence number it is.</summary>
    public void Receive(ChatMessageView message, int receiverDirection)
    {
        var now = Stopwatch.GetTimestamp();
        var parts = message.Text.Split(' ', 4);
        if (parts.Length < 4 || !int.TryParse(parts[0], out var c) || !int.TryParse(parts[1], out var d) || !int.TryParse(parts[2], out var seq)
            || c < 0 || c >= _last.GetLength(0) || d != receiverDirection || seq < 0 || seq >= _count[c, d].Length)
        {
            Interlocked.Increment(ref Stray);
            return;
        }
        Interlocked.Increment(ref Delivered);
        if (Interlocked.Increment(ref _count[c, d][seq]) > 1)
        {
            Interlocked.Increment(ref Duplicates);
            return;
        }
        lock (_count[c, d])
        {
            if (seq < _last[c, d])
            {
                Interlocked.Increment(ref OutOfOrder);
            }
            _last[c, d] = Math.Max(_last[c, d], seq);
        }
        var sent = Volatile.Read(ref Sent[c, d][seq]);
        if (sent >= Window.From && sent < Window.To)
        {
            var ms = Latencies.Ms(sent, now);
            Measured[d].Add(ms, true);
            var second = (int)((sent - Window.From) / Stopwatch.Frequency);
            lock (WorstBySecond)
            {
                if (second < WorstBySecond.Length)
                {
                    WorstBySecond[second] = Math.Max(WorstBySecond[second], ms);
                }
            }
        }
    }

    /// <summary>The slowest delivery of the messages sent in each second of the measured window: a stall shows as one bad second, queueing as many.</summary>
    public double[] WorstBySecond { get; set; } = [];

    /// <summary>Messages whose Send succeeded that the other side has not received.</summary>
    public int Missing()
    {
        var missing = 0;
        foreach (var (ok, count) in Ok.Cast<bool[]>().Zip(_count.Cast<int[]>()))
        {
            for (var i = 0; i < ok.Length; i++)
            {
                missing += ok[i] && Volatile.Read(ref count[i]) == 0 ? 1 : 0;
            }
        }
        return missing;
    }

    public ExchangeResult Result(double cpuMs)
    {
        var measured = Measured[0].Count + Measured[1].Count;
        return new ExchangeResult(Measured, SendErrors + Missing() + Duplicates + OutOfOrder + Stray, measured == 0 ? double.NaN : cpuMs / measured);
    }
}
