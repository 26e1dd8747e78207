using System.Reflection;
using System.Security.Claims;

namespace Ateb.Features.Agents;

/// <summary>Who is acting, in which workspace, with which role: resolved once per request from the database.</summary>
public sealed record Actor(Guid AccountId, Guid MembershipId, Guid WorkspaceId, Role Role, string Name)
{
    public const string AccountClaim = ClaimTypes.NameIdentifier;
    public const string MembershipClaim = "ateb:membership";
    public const string WorkspaceClaim = "ateb:workspace";

    internal static readonly object ItemKey = new();

    /// <summary>Lets endpoints take an Actor parameter; endpoints that do are behind RequireAuthorization.</summary>
    public static ValueTask<Actor?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Items[ItemKey] as Actor);
}
