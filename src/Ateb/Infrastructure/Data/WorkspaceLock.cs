using Microsoft.EntityFrameworkCore;

namespace Ateb.Infrastructure.Data;

public static class WorkspaceLock
{
    /// <summary>
    /// Inside a transaction: serialises decisions that span rows of the current workspace (the last owner, say).
    /// PostgreSQL locks the workspace row; SQLite transactions begin IMMEDIATE and so already exclude other writers.
    /// </summary>
    internal static async Task LockWorkspaceAsync(this AtebDb db, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Workspaces\" WHERE \"Id\" = {db.CurrentWorkspaceId} FOR UPDATE", ct);
        }
    }
}
