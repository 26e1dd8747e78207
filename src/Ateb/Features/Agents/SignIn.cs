using System.Security.Claims;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Agents;

public sealed record SignInRequest(string? Email, string? Password, Guid? WorkspaceId);

public sealed record WorkspaceSeat(Guid WorkspaceId, string WorkspaceName, Guid AgentId, string Role);

public sealed record MeResponse(Guid AccountId, Guid AgentId, Guid WorkspaceId, string Name, string Role, WorkspaceSeat[] Workspaces,
    PreferencesResponse Preferences);

/// <summary>Cookie sign-in for the agent UI. The cookie names one membership; switching workspace signs in again.</summary>
internal static class SignIn
{
    public static void MapSignIn(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).RequireRateLimiting(RateLimits.Auth).AllowAnonymous();
        group.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Member);
        group.MapGet("/me", async (Actor actor, AtebDb db, CancellationToken ct) =>
            TypedResults.Ok(new MeResponse(actor.AccountId, actor.MembershipId, actor.WorkspaceId, actor.Name, actor.Role.ToWire(),
                await SeatsAsync(db, actor.AccountId, ct), await AgentPreferences.LoadAsync(db, actor, ct)))).RequireAuthorization(Policies.Member);
        group.MapGet("/me/preferences", (GetPreferences handler, Actor actor, CancellationToken ct) => handler.HandleAsync(actor, ct))
            .RequireAuthorization(Policies.Member);
        group.MapPatch("/me/preferences", async (UpdatePreferencesRequest body, UpdatePreferences handler, Actor actor, HttpResponse http, CancellationToken ct) =>
        {
            var result = await handler.HandleAsync(body, actor, ct);
            if (result.Result is Ok<PreferencesResponse> { Value: { } saved } && body.Language.IsSet)
            {
                // The agent workspace reads its language from this cookie; a change applies from the next page.
                http.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(saved.Language)),
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
            }
            return result;
        }).RequireAuthorization(Policies.Member);
    }

    private static Task<Results<NoContent, ProblemHttpResult>> LoginAsync(SignInRequest body, HttpContext context, SignInAgent handler, CancellationToken ct) =>
        handler.HandleAsync(body, context, ct);

    internal static async Task<WorkspaceSeat[]> SeatsAsync(AtebDb db, Guid accountId, CancellationToken ct) =>
        await db.Memberships.IgnoreQueryFilters().AsNoTracking().Where(m => m.AccountId == accountId && m.Active)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new { w.Id, w.Name, MembershipId = m.Id, m.Role })
            .OrderBy(x => x.Name)
            .Select(x => new WorkspaceSeat(x.Id, x.Name, x.MembershipId, x.Role == Role.Owner ? "owner" : x.Role == Role.Admin ? "admin" : x.Role == Role.Agent ? "agent" : "light_agent"))
            .ToArrayAsync(ct);
}
