using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

/// <summary>
/// Hands out per-workspace ticket numbers with one atomic UPDATE ... RETURNING (both SQLite and PostgreSQL),
/// so concurrent creates never read the same number. A failed create leaves a gap, never a duplicate.
/// </summary>
internal static class TicketNumbers
{
    public static async Task<long> NextAsync(AtebDb db, Guid workspaceId, CancellationToken ct)
    {
        var numbers = await db.WriteAsync(() => db.Database
            .SqlQuery<long>($"UPDATE \"Workspaces\" SET \"LastTicketNumber\" = \"LastTicketNumber\" + 1 WHERE \"Id\" = {workspaceId} RETURNING \"LastTicketNumber\" AS \"Value\"")
            .ToListAsync(ct), ct);
        return numbers.Count == 1 ? numbers[0] : throw new InvalidOperationException("Workspace not found.");
    }
}
