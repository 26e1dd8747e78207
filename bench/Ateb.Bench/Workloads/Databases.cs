using System.Diagnostics;
using Ateb.Bench.Data;
using Ateb.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ateb.Bench.Workloads;

/// <summary>A generated database ready for a workload: where it is, how Ateb reaches it, and a token for the API.</summary>
internal sealed record BenchDatabase(string Provider, string ConnectionString, string Token, GeneratedWorkspace Workspace, string Folder)
{
    public IDictionary<string, string> AtebEnvironment() => new Dictionary<string, string>
    {
        ["Database__Provider"] = Provider,
        ["ConnectionStrings__Ateb"] = ConnectionString,
        ["Storage__Path"] = Path.Combine(Folder, "blobs"),
        ["RateLimits__AuthPerMinute"] = "100000",
        ["RateLimits__PipePerMinute"] = "10000000",
        // The generator writes rows directly; indexing a million of them in the background would skew every figure.
        ["Search__Backfill"] = "false",
    };

    public AtebDb Open() => Databases.Open(Provider, ConnectionString);
}

internal static class Databases
{
    /// <summary>The server under test: ATEB_BENCH_SERVER (bench.sh points it at a ReadyToRun publish), else the build next to us.</summary>
    public static string AtebDll => Environment.GetEnvironmentVariable("ATEB_BENCH_SERVER") is { Length: > 0 } published
        ? Path.GetFullPath(published)
        : Path.Combine(AppContext.BaseDirectory, "Ateb.dll");

    public static AtebDb Open(string provider, string connection) => provider == "postgres"
        ? new PostgresAtebDb(new DbContextOptionsBuilder<PostgresAtebDb>().UseNpgsql(connection).Options, new WorkspaceScope(), new WriteGate(false))
        : new SqliteAtebDb(new DbContextOptionsBuilder<SqliteAtebDb>().UseSqlite(connection).Options, new WorkspaceScope(), new WriteGate(false));

    /// <summary>Generates a fresh database of <paramref name="size"/> tickets (plus a 1% noise workspace) and returns it.</summary>
    public static async Task<BenchDatabase> CreateAsync(BenchSettings settings, int size, string label, (int Min, int Max)? messages = null)
    {
        var folder = Path.Combine(Path.GetFullPath(settings.DataFolder), $"{settings.Db}-{label}-{size}");
        var marker = Path.Combine(folder, "bench.json");
        if (settings.Reuse && File.Exists(marker))
        {
            var saved = System.Text.Json.JsonSerializer.Deserialize<BenchDatabase>(await File.ReadAllTextAsync(marker))!;
            Console.WriteLine($"  reusing {label}: {saved.Workspace.Tickets:N0} tickets from an earlier run ({folder})");
            return saved;
        }
        // Pooled connections would keep pointing at the deleted file (or the dropped database) of the previous run.
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        string connection;
        if (settings.Db == "postgres")
        {
            var name = $"ateb_bench_{label}_{size}".Replace('-', '_');
            var admin = new NpgsqlConnectionStringBuilder(settings.PostgresServer) { Database = "postgres", Pooling = false };
            await using (var c = new NpgsqlConnection(admin.ConnectionString))
            {
                await c.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", c);
                await drop.ExecuteNonQueryAsync();
            }
            connection = new NpgsqlConnectionStringBuilder(settings.PostgresServer) { Database = name, MaxPoolSize = 200 }.ConnectionString;
        }
        else
        {
            connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "ateb.db") }.ToString();
        }
        var environment = new BenchDatabase(settings.Db, connection, "", null!, folder).AtebEnvironment();
        var stopwatch = Stopwatch.StartNew();
        await VerbAsync(environment, "setup", "--workspace", "Bench", "--owner-email", "owner@bench.test", "--owner-password", "bench-password");
        await VerbAsync(environment, "setup", "--workspace", "Noise", "--owner-email", "noise@bench.test", "--owner-password", "bench-password");
        var token = (await VerbAsync(environment, "tokens", "create", "--email", "owner@bench.test", "--name", "bench", "--workspace", "Bench")).Trim();
        var generator = new Generator(() => Open(settings.Db, connection), settings.Seed);
        GeneratedWorkspace bench;
        await using (var db = Open(settings.Db, connection))
        {
            var seats = await db.Memberships.IgnoreQueryFilters().Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new { w.Slug, m.WorkspaceId, MembershipId = m.Id }).ToListAsync();
            var noise = seats.Single(s => s.Slug == "noise");
            await generator.FillAsync(noise.WorkspaceId, noise.MembershipId, Math.Max(10, size / 100), _ => { });
            var main = seats.Single(s => s.Slug == "bench");
            bench = await generator.FillAsync(main.WorkspaceId, main.MembershipId, size, p => Console.Write($"\r  generating {label}: {p}        "), messages);
        }
        Console.WriteLine($"\r  generated {label}: {size:N0} tickets in {stopwatch.Elapsed.TotalSeconds:0.0} s ({size / stopwatch.Elapsed.TotalSeconds:N0} tickets/s)");
        var database = new BenchDatabase(settings.Db, connection, token, bench, folder);
        await File.WriteAllTextAsync(marker, System.Text.Json.JsonSerializer.Serialize(database));
        return database;
    }

    private static async Task<string> VerbAsync(IDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(AtebDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Ateb {args[0]} failed: {await errors}");
        }
        return await output;
    }
}
