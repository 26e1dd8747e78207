using Npgsql;

namespace Ateb.Tests.Testing;

/// <summary>
/// Which database the suite runs on: ATEB_TEST_DB=sqlite (default) or postgres, with ATEB_TEST_POSTGRES holding
/// a connection string to a server where the test user may create databases. Each app gets its own database.
/// </summary>
public static class TestDatabase
{
    public static bool IsPostgres => string.Equals(Environment.GetEnvironmentVariable("ATEB_TEST_DB"), "postgres", StringComparison.OrdinalIgnoreCase);

    public static string PostgresServer => Environment.GetEnvironmentVariable("ATEB_TEST_POSTGRES")
        ?? throw new InvalidOperationException("ATEB_TEST_DB=postgres needs ATEB_TEST_POSTGRES (a connection string).");

    public static (string Provider, string ConnectionString, Func<Task> Drop) Create(string folder)
    {
        if (!IsPostgres)
        {
            return ("sqlite", $"Data Source={Path.Combine(folder, "ateb.db")}", () => Task.CompletedTask);
        }
        var name = "ateb_test_" + Guid.NewGuid().ToString("N")[..16];
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name, Pooling = true, MaxPoolSize = 40 };
        return ("postgres", builder.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            var admin = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = "postgres", Pooling = false };
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        });
    }
}
