namespace Ateb.Features.Agents;

public enum Role
{
    /// <summary>Reads tickets and writes internal notes only.</summary>
    LightAgent = 0,
    Agent = 1,
    Admin = 2,
    Owner = 3,
}

internal static class Roles
{
    public const string Claim = "ateb:role";

    public static bool CanWorkTickets(this Role role) => role >= Role.Agent;

    /// <summary>
    /// Roles at or below <paramref name="role"/>, for queries: roles are stored as text, so "&lt;=" in SQL would compare
    /// names alphabetically ("Admin" &lt; "Agent"). Use Contains on this set instead.
    /// </summary>
    public static Role[] UpTo(Role role) => [.. Enum.GetValues<Role>().Where(r => r <= role)];

    public static readonly Role[] TicketWorkers = [Role.Agent, Role.Admin, Role.Owner];

    public static bool CanAdminister(this Role role) => role >= Role.Admin;

    public static string ToWire(this Role role) => role switch
    {
        Role.LightAgent => "light_agent",
        Role.Agent => "agent",
        Role.Admin => "admin",
        _ => "owner",
    };

    public static Role? FromWire(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "light_agent" or "light" => Role.LightAgent,
        "agent" => Role.Agent,
        "admin" => Role.Admin,
        "owner" => Role.Owner,
        _ => null,
    };
}
