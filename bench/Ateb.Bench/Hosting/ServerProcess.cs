using System.Diagnostics;
using System.Globalization;

namespace Ateb.Bench.Hosting;

/// <summary>
/// A server under test as its own process, pinned to one core with taskset when available (the load generator
/// keeps the other), started cold and measured: time to first successful request, resident memory.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    public string BaseUrl { get; }

    public TimeSpan StartupTime { get; private set; }

    private ServerProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public static async Task<ServerProcess> StartAsync(string dll, IReadOnlyList<string> args, IDictionary<string, string> environment, string probePath, int core)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(File.Exists("/usr/bin/taskset") ? "/usr/bin/taskset" : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        if (info.FileName.EndsWith("taskset", StringComparison.Ordinal))
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(core.ToString(CultureInfo.InvariantCulture));
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["DOTNET_gcServer"] = "0";
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine("  server: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, $"http://127.0.0.1:{port}");
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 3000; i++)
        {
            try
            {
                if ((await probe.GetAsync(server.BaseUrl + probePath)).IsSuccessStatusCode)
                {
                    server.StartupTime = Stopwatch.GetElapsedTime(started);
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too slow to answer the probe yet (a loaded machine)
            }
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(dll)} exited with {process.ExitCode} during start.");
            }
            await Task.Delay(10);
        }
        // Do not leave it running behind us.
        await server.DisposeAsync();
        throw new TimeoutException($"{dll} did not answer {probePath} within 30 s.");
    }

    /// <summary>The server's process: the dotnet process under taskset when pinned.</summary>
    private int ServerPid()
    {
        var pid = _process.Id;
        var children = $"/proc/{pid}/task/{pid}/children";
        if (File.Exists(children) && File.ReadAllText(children).Trim() is { Length: > 0 } child)
        {
            pid = int.Parse(child.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return pid;
    }

    /// <summary>
    /// CPU time the server has used so far (user + system, all threads), in ms; NaN where /proc is missing. Over many
    /// requests, the difference per request is the server's own cost, which a busy machine delays but does not inflate.
    /// </summary>
    public double CpuMs()
    {
        var stat = $"/proc/{ServerPid()}/stat";
        if (!File.Exists(stat))
        {
            return double.NaN;
        }
        // Fields after the command name (which may contain spaces, hence the last ')'): utime and stime are the 12th and 13th.
        var fields = File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    /// <summary>Resident set size of the server (the dotnet process under taskset), in MB.</summary>
    public double ResidentMb()
    {
        var pid = ServerPid();
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
