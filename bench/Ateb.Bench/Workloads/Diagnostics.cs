using System.Diagnostics;
using Ateb.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Bench.Workloads;

/// <summary>`diag DBFILE`: where the time of one data-layer round trip goes, in-process, microseconds per operation.</summary>
internal static class Diagnostics
{
    public static async Task<int> RunAsync(string file)
    {
        var connection = $"Data Source={file}";
        await TimeAsync("raw ADO open+SELECT 1", async () =>
        {
            await using var c = new SqliteConnection(connection);
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM \"Workspaces\"";
            await cmd.ExecuteScalarAsync();
        });
        foreach (var withPragmas in new[] { false, true })
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(new WriteGate(false));
            services.AddScoped<WorkspaceScope>();
            var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "sqlite", ["ConnectionStrings:Ateb"] = connection,
            }).Build();
            if (withPragmas)
            {
                services.AddAtebData(config);
            }
            else
            {
                services.AddDbContext<SqliteAtebDb>(o => o.UseSqlite(connection));
                services.AddScoped<AtebDb>(sp => sp.GetRequiredService<SqliteAtebDb>());
            }
            await using var provider = services.BuildServiceProvider();
            await TimeAsync($"EF scope+context+AnyAsync (pragmas {withPragmas})", async () =>
            {
                await using var scope = provider.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
                await db.Workspaces.AnyAsync();
            });
            await TimeAsync($"EF 5 queries on one context (pragmas {withPragmas})", async () =>
            {
                await using var scope = provider.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
                for (var i = 0; i < 5; i++)
                {
                    await db.Workspaces.AnyAsync();
                }
            });
            await TimeAsync($"EF CanConnect (pragmas {withPragmas})", async () =>
            {
                await using var scope = provider.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AtebDb>().Database.CanConnectAsync();
            });
        }
        return 0;
    }

    private static async Task TimeAsync(string name, Func<Task> action)
    {
        for (var i = 0; i < 500; i++)
        {
            await action();
        }
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        const int n = 2000;
        for (var i = 0; i < n; i++)
        {
            await action();
        }
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"{name,-50} {watch.Elapsed.TotalMicroseconds / n,8:0} µs wall {used.TotalMicroseconds / n,8:0} µs cpu");
    }
}
