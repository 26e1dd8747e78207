using Microsoft.EntityFrameworkCore;

namespace Ateb.Infrastructure.Data;

internal sealed class PostgresAtebDb(DbContextOptions<PostgresAtebDb> options, WorkspaceScope scope, WriteGate gate) : AtebDb(options, scope, gate)
{
    public override bool IsPostgres => true;
}
