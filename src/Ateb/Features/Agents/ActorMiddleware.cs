using System.Security.Claims;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Agents;

/// <summary>
/// Re-reads the membership on every request, so a removed or downgraded agent loses access at once,
/// then enters the workspace scope that every query is filtered by.
/// </summary>
internal sealed class ActorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, AtebDb db, WorkspaceScope scope)
    {
        if (context.IsForVisitors())
        {
            // Public pages choose their workspace by host name or slug; a signed-in agent is just a visitor there.
            await next(context);
            return;
        }
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: Tokens.TokenAuthentication.SchemeName }
            && Guid.TryParse(context.User.FindFirstValue(Actor.MembershipClaim), out var seat)
            && Guid.TryParse(context.User.FindFirstValue(Actor.WorkspaceClaim), out var workspace)
            && Guid.TryParse(context.User.FindFirstValue(Actor.AccountClaim), out var account)
            && Roles.FromWire(context.User.FindFirstValue(Roles.Claim)) is { } role)
        {
            // The token handler read seat, role and person from the database for this very request.
            scope.Enter(workspace);
            context.Items[Actor.ItemKey] = new Actor(account, seat, workspace, role, context.User.FindFirstValue(ClaimTypes.Name) ?? "");
            await next(context);
            return;
        }
        if (context.User.Identity?.IsAuthenticated == true
            && Guid.TryParse(context.User.FindFirstValue(Actor.MembershipClaim), out var membershipId))
        {
            var found = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
                .Where(m => m.Id == membershipId && m.Active)
                .Select(m => new { m.AccountId, m.WorkspaceId, m.Role, m.Account!.DisplayName, m.Account.Email })
                .FirstOrDefaultAsync(context.RequestAborted);
            if (found is null || found.AccountId.ToString() != context.User.FindFirstValue(Actor.AccountClaim))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
            else
            {
                scope.Enter(found.WorkspaceId);
                var actor = new Actor(found.AccountId, membershipId, found.WorkspaceId, found.Role,
                    string.IsNullOrEmpty(found.DisplayName) ? found.Email ?? "" : found.DisplayName);
                context.Items[Actor.ItemKey] = actor;
                var identity = new ClaimsIdentity(context.User.Claims.Where(c => c.Type != Roles.Claim),
                    context.User.Identity.AuthenticationType);
                identity.AddClaim(new Claim(Roles.Claim, actor.Role.ToWire()));
                context.User = new ClaimsPrincipal(identity);
            }
        }
        await next(context);
    }
}
