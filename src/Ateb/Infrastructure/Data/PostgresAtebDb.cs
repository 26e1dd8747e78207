using Microsoft.EntityFrameworkCore;

namespace Ateb.Infrastructure.Data;

internal sealed class PostgresAtebDb(DbContextOptions<PostgresAtebDb> options, WorkspaceScope scope) : AtebDb(options, scope)
{
    public override bool IsPostgres => true;
}
