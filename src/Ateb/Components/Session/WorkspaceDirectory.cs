using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Components.Session;

public sealed record DirectoryEntry(Guid Id, string Name, bool Active);

/// <summary>The workspace's agents and teams, by id: names in lists, choices in pickers.</summary>
public sealed record WorkspaceDirectory(IReadOnlyList<DirectoryEntry> Agents, IReadOnlyList<DirectoryEntry> Teams)
{
    public string AgentName(Guid? id) => id is { } x ? Agents.FirstOrDefault(a => a.Id == x)?.Name ?? "?" : "";

    public string TeamName(Guid? id) => id is { } x ? Teams.FirstOrDefault(t => t.Id == x)?.Name ?? "?" : "";

    internal static async Task<WorkspaceDirectory> LoadAsync(AtebDb db)
    {
        var agents = await db.Memberships.AsNoTracking()
            .Select(m => new DirectoryEntry(m.Id, m.Account!.DisplayName == "" ? m.Account.Email ?? "" : m.Account.DisplayName, m.Active))
            .ToListAsync();
        var teams = await db.Teams.AsNoTracking().Select(t => new DirectoryEntry(t.Id, t.Name, true)).ToListAsync();
        return new([.. agents.OrderBy(a => a.Name, StringComparer.CurrentCulture)], [.. teams.OrderBy(t => t.Name, StringComparer.CurrentCulture)]);
    }
}
