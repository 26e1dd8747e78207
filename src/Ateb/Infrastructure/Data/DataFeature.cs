using System.Runtime.CompilerServices;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ateb.Infrastructure.Data;

public static class DataFeature
{
    /// <summary>
    /// Database:Provider = sqlite (default, ./data/ateb.db) | postgres; ConnectionStrings:Ateb overrides the location.
    /// </summary>
    /// <remarks>Features add EF Core interceptors by registering them as singleton <see cref="IInterceptor"/>s.</remarks>
    public static IServiceCollection AddAtebData(this IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<WorkspaceScope>();
        var provider = (config["Database:Provider"] ?? "sqlite").Trim().ToLowerInvariant();
        var connection = config.GetConnectionString("Ateb");
        switch (provider)
        {
            case "sqlite":
                services.AddSingleton(new WriteGate(enabled: true));
                var sqlite = SqliteConnectionString(connection);
                // Options are built once (singleton), not per scope: every hub call and request creates a context.
                services.AddDbContext<SqliteAtebDb>((sp, o) => o
                    .UseSqlite(sqlite, x => x.MigrationsAssembly(typeof(AtebDb).Assembly.FullName))
                    .AddInterceptors([new SqlitePragmas(), new WriteGateGuard(config.GetValue<bool>("Database:StrictWriteGate"), sp.GetRequiredService<ILogger<WriteGateGuard>>()),
                        .. sp.GetServices<IInterceptor>()]), optionsLifetime: ServiceLifetime.Singleton);
                services.AddScoped<AtebDb>(sp => sp.GetRequiredService<SqliteAtebDb>());
                services.AddSingleton<SqliteCheckpointer>();
                services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
                break;
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw new InvalidOperationException("Database:Provider is postgres but ConnectionStrings:Ateb is empty.");
                }
                services.AddSingleton(new WriteGate(enabled: false));
                var postgres = PostgresConnectionString(connection);
                services.AddDbContext<PostgresAtebDb>((sp, o) => o.UseNpgsql(postgres).AddInterceptors(sp.GetServices<IInterceptor>()),
                    optionsLifetime: ServiceLifetime.Singleton);
                services.AddScoped<AtebDb>(sp => sp.GetRequiredService<PostgresAtebDb>());
                break;
            default:
                throw new InvalidOperationException($"Database:Provider '{provider}' is not sqlite or postgres.");
        }
        return services;
    }

    /// <summary>
    /// Statements run often are prepared once per pooled connection (Npgsql's automatic preparation) unless the connection
    /// string says otherwise: PostgreSQL then skips parsing the same EF statement again for every chat line. Prepared
    /// statements are still planned for their values (<c>plan_cache_mode = force_custom_plan</c>): after five runs PostgreSQL
    /// may otherwise keep a generic plan, blind to the values, and for a search that plan does not know a very common word
    /// from a rare one (at 1.2 million documents the API took 1.1 s where the same query unprepared took 32 ms), nor one
    /// workspace's share of a table from another's.
    /// </summary>
    internal static string PostgresConnectionString(string configured)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = configured };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(configured);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 200;
            builder.AutoPrepareMinUsages = 2;
        }
        if (builder.MaxAutoPrepare > 0 && builder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
        {
            builder.Options = (builder.Options is { Length: > 0 } options ? options + " " : "") + "-c plan_cache_mode=force_custom_plan";
        }
        return builder.ConnectionString;
    }

    private static string SqliteConnectionString(string? configured)
    {
        var builder = new SqliteConnectionStringBuilder(configured ?? "Data Source=data/ateb.db")
        {
            DefaultTimeout = 30,
            Pooling = true,
        };
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !file.StartsWith("file:", StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(file);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }
        return builder.ToString();
    }

    /// <summary>How long one migration statement may run on PostgreSQL.</summary>
    internal static readonly TimeSpan MigrationTimeout = TimeSpan.FromHours(1);

    /// <summary>Applies migrations (EF Core takes a database lock, so two nodes starting together are safe).</summary>
    public static async Task MigrateAtebDbAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        if (!db.IsPostgres)
        {
            // WAL is a property of the file: set once, it lets readers run while one writer commits.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }
        if (db.IsPostgres)
        {
            // A migration may rewrite a large table (SearchCommonPairs: every search vector, minutes at a million
            // documents); the connection's command timeout (30 s unless configured) would roll it back and stop the start.
            db.Database.SetCommandTimeout(MigrationTimeout);
        }
        await db.WriteAsync(async () =>
        {
            await db.Database.MigrateAsync(ct);
            return 0;
        }, ct);
    }

    /// <summary>
    /// Reads through a memory map of the file's first GiB, shared by every connection through the operating system's
    /// cache, instead of copying pages into each connection's own 2 MB page cache. FTS5 merges its segments on writes
    /// and re-read them through that small cache: at 1.2 million documents, 500 messages' inserts took up to 1.1 s
    /// each (a merge; 337 a second overall); with the map, at most 41 ms (1,234 a second).
    /// </summary>
    internal const long MmapBytes = 1L << 30;

    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        private static readonly string Pragmas = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
            + $"PRAGMA wal_autocheckpoint={SqliteCheckpointer.BackstopPages}; PRAGMA mmap_size={MmapBytes};";

        // Pragmas belong to the native connection, which the pool keeps open between uses: set them once per native
        // connection, not on every open (EF opens and closes around each query, and these statements cost more than most queries).
        private static readonly ConditionalWeakTable<object, object> Prepared = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (FirstUse((SqliteConnection)connection))
            {
                using var command = connection.CreateCommand();
                command.CommandText = Pragmas;
                command.ExecuteNonQuery();
                Done((SqliteConnection)connection);
            }
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (FirstUse((SqliteConnection)connection))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken);
                Done((SqliteConnection)connection);
            }
        }

        // A native connection is used by one thread at a time, so look, set, then remember: a failed or cancelled attempt is retried next open.
        private static bool FirstUse(SqliteConnection connection) => connection.Handle is not { } handle || !Prepared.TryGetValue(handle, out _);

        private static void Done(SqliteConnection connection)
        {
            if (connection.Handle is { } handle)
            {
                Prepared.AddOrUpdate(handle, handle);
            }
        }
    }
}
