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

    private static async Task<Results<NoContent, ProblemHttpResult>> LoginAsync(
        SignInRequest body, HttpContext context, AtebDb db, UserManager<AgentAccount> users, SignInManager<AgentAccount> signIn,
        LoginThrottle throttle, CancellationToken ct)
    {
        var email = ContactAddresses.NormalizeEmail(body.Email);
        // Per address, whether or not it has an account, so the answer never tells which emails exist; no lockout,
        // so nobody can lock a colleague out by guessing wrong on purpose.
        if (email is not null && !throttle.TryAcquire(email, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: 429, title: "Too many attempts.", detail: "Try again later.");
        }
        var refused = TypedResults.Problem(statusCode: 401, title: "Email or password is wrong.");
        var account = email is null ? null : await users.FindByEmailAsync(email);
        if (account is null || string.IsNullOrEmpty(body.Password) || !await users.CheckPasswordAsync(account, body.Password))
        {
            return refused;
        }
        var seats = await SeatsAsync(db, account.Id, ct);
        var seat = body.WorkspaceId is { } wanted ? seats.FirstOrDefault(s => s.WorkspaceId == wanted) : seats.FirstOrDefault();
        if (seat is null)
        {
            return TypedResults.Problem(statusCode: 403, title: "This account has no seat in that workspace.");
        }
        // Identity's own principal carries the security stamp its validator re-checks; the seat rides along.
        var principal = await signIn.CreateUserPrincipalAsync(account);
        ((ClaimsIdentity)principal.Identity!).AddClaims(
        [
            new Claim(Actor.MembershipClaim, seat.AgentId.ToString()),
            new Claim(Actor.WorkspaceClaim, seat.WorkspaceId.ToString()),
        ]);
        await context.SignInAsync(IdentityConstants.ApplicationScheme, principal, new AuthenticationProperties { IsPersistent = true });
        return TypedResults.NoContent();
    }

    private static async Task<WorkspaceSeat[]> SeatsAsync(AtebDb db, Guid accountId, CancellationToken ct) =>
        await db.Memberships.IgnoreQueryFilters().AsNoTracking().Where(m => m.AccountId == accountId && m.Active)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new { w.Id, w.Name, MembershipId = m.Id, m.Role })
            .OrderBy(x => x.Name)
            .Select(x => new WorkspaceSeat(x.Id, x.Name, x.MembershipId, x.Role == Role.Owner ? "owner" : x.Role == Role.Admin ? "admin" : x.Role == Role.Agent ? "agent" : "light_agent"))
            .ToArrayAsync(ct);
}
