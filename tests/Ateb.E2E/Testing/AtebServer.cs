using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace Ateb.E2E.Testing;

/// <summary>How to start an Ateb process for browser tests.</summary>
public sealed record AtebServerOptions
{
    /// <summary>Names the log file (artifacts/e2e/logs/{db}-{Name}-{port}.log).</summary>
    public string Name { get; init; } = "ateb";

    /// <summary>Start with --demo: the demo workspace (owner <see cref="AtebServer.DemoOwner"/>).</summary>
    public bool Demo { get; init; } = true;

    /// <summary>Extra environment variables (any Ateb setting: <c>RateLimits__AuthPerMinute</c>, <c>Email__Enabled</c>…); they win over the defaults.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra command-line arguments after <c>--urls</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// ASPNETCORE_ENVIRONMENT. Development by default: only then does ASP.NET Core map the static web assets of a build
    /// output (app.css, app.js, _framework/blazor.web.js live beside the sources and in NuGet packages until a publish
    /// gathers them into wwwroot); in Production those addresses answer 200 with an empty body.
    /// </summary>
    public string EnvironmentName { get; init; } = "Development";

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);
}

/// <summary>
/// The real Ateb (Ateb.dll, copied beside the tests) as its own process on 127.0.0.1 and a free port, its working
/// directory a fresh temporary folder, on a fresh database: SQLite in that folder, or a new PostgreSQL database when
/// ATEB_TEST_DB=postgres (ATEB_TEST_POSTGRES names the server). Ready once /health answers 200. Its stdout and stderr go
/// to artifacts/e2e/logs/. Disposing kills it (and its process tree), then drops its database and folder.
/// A second instance on the same database and blob store (<see cref="StartAnotherAsync"/>) serves multi-process tests.
/// </summary>
public sealed class AtebServer : IAsyncDisposable
{
    public const string DemoOwner = "owner@demo.ateb.test";
    public const string DemoPassword = "ateb-demo-2026";

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly (string Provider, string ConnectionString, Func<Task> Drop) _database;
    private readonly bool _ownsDatabase;
    private int _disposed;

    private AtebServer(Process process, StreamWriter log, string logPath, string folder, string blobs, int port,
        (string Provider, string ConnectionString, Func<Task> Drop) database, bool ownsDatabase, AtebServerOptions options)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        Folder = folder;
        Blobs = blobs;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _database = database;
        _ownsDatabase = ownsDatabase;
        Options = options;
    }

    public Uri BaseAddress { get; }
    public int Port { get; }

    /// <summary>Its working directory (temporary, removed at the end).</summary>
    public string Folder { get; }

    public string Blobs { get; }
    public string LogPath { get; }
    public AtebServerOptions Options { get; }

    /// <summary>"sqlite" or "postgres".</summary>
    public string DatabaseProvider => _database.Provider;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines it printed (stdout and stderr), for failure messages.</summary>
    public string Tail => string.Join('\n', _tail);

    /// <summary>An absolute address on this server: <c>server.Url("/help/fa")</c>.</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>Starts a server on a fresh database and waits until it is healthy.</summary>
    public static Task<AtebServer> StartAsync(AtebServerOptions? options = null)
    {
        options ??= new AtebServerOptions();
        var folder = Directory.CreateTempSubdirectory("ateb-e2e-").FullName;
        var database = TestDatabase.Create(folder);
        return StartAsync(options, folder, Path.Combine(folder, "blobs"), database, ownsDatabase: true);
    }

    /// <summary>Another process on this one's database and blob store, on its own port (for tests across processes).</summary>
    public Task<AtebServer> StartAnotherAsync(AtebServerOptions? options = null)
    {
        options ??= Options with { Name = Options.Name + "-2" };
        var folder = Directory.CreateTempSubdirectory("ateb-e2e-").FullName;
        return StartAsync(options, folder, Blobs, _database, ownsDatabase: false);
    }

    private static async Task<AtebServer> StartAsync(AtebServerOptions options, string folder, string blobs,
        (string Provider, string ConnectionString, Func<Task> Drop) database, bool ownsDatabase)
    {
        // The port is free when chosen; should another process take it before Ateb binds it, Ateb exits and we try another.
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(options, folder, blobs, database, ownsDatabase, FreePort());
            try
            {
                await server.WaitHealthyAsync(options.StartTimeout);
                return server;
            }
            catch (Exception) when (attempt < 3 && server.HasExited && server.Tail.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.DisposeAsync(dropDatabase: false, removeFolder: false);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    private static AtebServer Launch(AtebServerOptions options, string folder, string blobs,
        (string Provider, string ConnectionString, Func<Task> Drop) database, bool ownsDatabase, int port)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ateb.dll"));
        if (options.Demo)
        {
            info.ArgumentList.Add("--demo");
        }
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var arg in options.Arguments)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ASPNETCORE_ENVIRONMENT"] = options.EnvironmentName;
        info.Environment["DOTNET_ENVIRONMENT"] = options.EnvironmentName;
        info.Environment["Database__Provider"] = database.Provider;
        info.Environment["ConnectionStrings__Ateb"] = database.ConnectionString;
        info.Environment["Database__StrictWriteGate"] = "true";
        info.Environment["Storage__Path"] = blobs;
        info.Environment["Logging__LogLevel__Default"] = "Information";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in options.Environment)
        {
            info.Environment[key] = value;
        }

        var logPath = Path.Combine(Artifacts.Folder("logs"), Artifacts.SafeName($"{database.Provider}-{options.Name}-{port}") + ".log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        log.WriteLine($"# dotnet {string.Join(' ', info.ArgumentList)} (in {folder})");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new AtebServer(process, log, logPath, folder, blobs, port, database, ownsDatabase, options);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data, "");
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data, "err: ");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Capture(string? line, string prefix)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                _log.WriteLine(prefix + line);
            }
        }
        _tail.Enqueue(prefix + line);
        while (_tail.Count > 60 && _tail.TryDequeue(out _))
        {
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"Ateb exited with {_process.ExitCode} before it was healthy (log: {LogPath}):\n{Tail}");
            }
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Ateb was not healthy on {BaseAddress} after {timeout.TotalSeconds:0} s (log: {LogPath}):\n{Tail}");
    }

    /// <summary>
    /// Kills this process (what a crash looks like to connected clients), runs <paramref name="whileDown"/>, then starts
    /// Ateb again on the same port, database, blobs and folder (without --demo: the data is there). Returns the new
    /// server, which now owns the database; this one is disposed. Data Protection keys live in the database, so sign-in
    /// cookies and visitor tokens stay valid.
    /// </summary>
    public async Task<AtebServer> RestartAsync(Func<Task>? whileDown = null)
    {
        await DisposeAsync(dropDatabase: false, removeFolder: false);
        if (whileDown is not null)
        {
            await whileDown();
        }
        var server = Launch(Options with { Demo = false }, Folder, Blobs, _database, _ownsDatabase, Port);
        try
        {
            await server.WaitHealthyAsync(Options.StartTimeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client for this server with its own cookies; not signed in.</summary>
    public HttpClient CreateClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    /// <summary>A client signed in through the API (cookie), for arranging data through the REST API.</summary>
    public async Task<HttpClient> SignInApiAsync(string email = DemoOwner, string password = DemoPassword)
    {
        var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        if (!response.IsSuccessStatusCode)
        {
            client.Dispose();
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => DisposeAsync(dropDatabase: _ownsDatabase, removeFolder: true);

    private async ValueTask DisposeAsync(bool dropDatabase, bool removeFolder)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
        }
        lock (_log)
        {
            _log.WriteLine($"# stopped (exit code {(_process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")})");
            _log.Dispose();
        }
        _process.Dispose();
        if (dropDatabase)
        {
            await _database.Drop();
        }
        if (removeFolder)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
