using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Infrastructure.Data;

[Trait("Db", "none")]
public sealed class MigrationTests
{
    // Fails when someone changes the model without `dotnet ef migrations add` for both providers.
    [Fact]
    public void The_sqlite_model_has_no_pending_changes()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context SqliteAtebDb (see docs/architecture.md)");
    }

    [Fact]
    public void The_postgres_model_has_no_pending_changes()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context PostgresAtebDb (see docs/architecture.md)");
    }

    [Fact]
    public void Every_workspace_row_type_is_filtered_by_workspace()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        var unfiltered = db.Model.GetEntityTypes()
            .Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType) && e.GetDeclaredQueryFilters().Count == 0)
            .Select(e => e.ClrType.Name).ToList();
        Assert.Empty(unfiltered);
    }
}

public sealed class DatabaseTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task The_suite_runs_on_the_database_it_was_asked_for()
    {
        var isPostgres = await app.WithRawDbAsync(db => Task.FromResult(db.IsPostgres));
        Assert.Equal(TestDatabase.IsPostgres, isPostgres);
        // SQLite in WAL mode; on PostgreSQL, prepared statements planned for their values (DataFeature.PostgresConnectionString).
        var (setting, expected) = isPostgres ? ("SHOW plan_cache_mode", "force_custom_plan") : ("PRAGMA journal_mode;", "wal");
        var mode = await app.WithRawDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = setting;
            return (string)(await command.ExecuteScalarAsync())!;
        });
        Assert.Equal(expected, mode);
    }

    [Fact]
    public async Task Sqlite_pragmas_hold_on_every_open_including_pooled_connections_used_again()
    {
        if (TestDatabase.IsPostgres)
        {
            return; // SQLite's per-connection settings
        }
        // The pragmas are set once per native connection; a pooled one handed out again must still have them.
        for (var i = 0; i < 5; i++)
        {
            var settings = await app.WithRawDbAsync(async db =>
            {
                await db.Database.OpenConnectionAsync();
                var read = new List<long>();
                foreach (var pragma in new[] { "foreign_keys", "busy_timeout", "synchronous", "temp_store", "wal_autocheckpoint", "mmap_size" })
                {
                    await using var command = db.Database.GetDbConnection().CreateCommand();
                    command.CommandText = $"PRAGMA {pragma};";
                    read.Add((long)(await command.ExecuteScalarAsync())!);
                }
                return read;
            });
            // on, 30 s, NORMAL, MEMORY, the background checkpointer's backstop, reads through a map of the file's first GiB
            Assert.Equal([1L, 30000L, 1L, 2L, 10000L, DataFeature.MmapBytes], settings);
        }
    }

    [Fact]
    public async Task The_sqlite_search_index_gathers_16_MB_of_terms_before_it_writes_a_segment()
    {
        if (TestDatabase.IsPostgres)
        {
            return; // FTS5's own configuration
        }
        // Stored in the index (not per connection): every connection that writes a batch in one statement uses it.
        var hashSize = await app.WithRawDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT v FROM \"SearchIndex_config\" WHERE k = 'hashsize';";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        });
        Assert.Equal(Ateb.Infrastructure.Data.Migrations.Sqlite.SearchIndexHashSize.HashSize, hashSize);
    }

    [Fact]
    public async Task Sqlite_log_pages_are_copied_into_the_database_by_the_background_checkpointer()
    {
        if (TestDatabase.IsPostgres)
        {
            Assert.DoesNotContain(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is SqliteCheckpointer);
            return;
        }
        // Commits leave pages in the write-ahead log (SQLite's own checkpoint waits for 10,000 pages now): the service copies them.
        Assert.Contains(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is SqliteCheckpointer);
        await app.WithRawDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA user_version = 7;";
            await command.ExecuteNonQueryAsync();
            return 0;
        });
        // A reader that started before the write (the app's own background loops) holds its pages back for a moment: try again.
        var checkpointer = app.Services.GetRequiredService<SqliteCheckpointer>();
        var (log, copied) = checkpointer.Checkpoint();
        for (var attempt = 0; attempt < 20 && (log != copied || log < 0); attempt++)
        {
            await Task.Delay(50);
            (log, copied) = checkpointer.Checkpoint();
        }
        Assert.True(log >= 0 && log == copied, $"{copied} of {log} log pages copied");
    }

    [Fact]
    public async Task A_write_that_skips_the_write_gate_fails_in_tests_and_one_that_takes_it_succeeds()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        var skipping = db.Workspaces.IgnoreQueryFilters().Where(w => w.Id == Guid.Empty).ExecuteUpdateAsync(s => s.SetProperty(w => w.Name, "x"));
        if (TestDatabase.IsPostgres)
        {
            Assert.Equal(0, await skipping); // PostgreSQL has row locks: no gate to skip
            return;
        }
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => skipping);
        Assert.Contains("write gate", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.WriteAsync(() => db.Workspaces.IgnoreQueryFilters().Where(w => w.Id == Guid.Empty)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Name, "x")), CancellationToken.None));
    }

    [Theory]
    [InlineData("INSERT INTO \"Messages\" VALUES (1)", true)]
    [InlineData("  update \"Tickets\" SET x = 1", true)]
    [InlineData("DELETE FROM \"ChatAgentConnections\"", true)]
    [InlineData("SELECT 1", false)]
    [InlineData("PRAGMA wal_checkpoint(PASSIVE);", false)]
    public void The_guard_knows_a_write_statement(string sql, bool write) => Assert.Equal(write, WriteGateGuard.IsWrite(sql));

    [Fact]
    public async Task Health_answers_200_when_the_database_is_reachable()
    {
        var response = await app.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await app.CreateClient().GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/v1/tickets", "/api/v1/tickets/{id}", "/api/v1/tickets/{id}/merge", "/api/v1/customers", "/api/v1/teams", "/api/v1/agents", "/api/v1/tokens", "/api/v1/inbound-messages" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/scalar")).StatusCode);
    }

    [Fact]
    public async Task Data_protection_keys_live_in_the_database()
    {
        var ws = await app.CreateWorkspaceAsync();
        await ws.Owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://example.com/hook" });
        Assert.True(await app.WithRawDbAsync(db => db.DataProtectionKeys.AnyAsync()));
    }
}
