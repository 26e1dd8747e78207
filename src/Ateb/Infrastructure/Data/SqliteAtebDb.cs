using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Ateb.Infrastructure.Data;

internal sealed class SqliteAtebDb(DbContextOptions<SqliteAtebDb> options, WorkspaceScope scope, WriteGate gate) : AtebDb(options, scope, gate)
{
    public override bool IsPostgres => false;

    // SQLite has no DateTimeOffset type; a sortable binary form keeps ORDER BY and range filters in SQL.
    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        builder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
