using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ateb.Infrastructure.Data;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAtebDb>
{
    public SqliteAtebDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAtebDb>().UseSqlite("Data Source=design.db").Options, new WorkspaceScope(), new WriteGate(false));
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAtebDb>
{
    public PostgresAtebDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAtebDb>().UseNpgsql("Host=localhost").Options, new WorkspaceScope(), new WriteGate(false));
}
