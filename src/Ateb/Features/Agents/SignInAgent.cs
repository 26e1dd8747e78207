using System.Security.Claims;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Ateb.Features.Agents;

/// <summary>Password sign-in to one workspace seat, for the API and the sign-in page alike.</summary>
internal sealed class SignInAgent(AtebDb db, UserManager<AgentAccount> users, SignInManager<AgentAccount> signIn, LoginThrottle throttle)
{
    public async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(SignInRequest body, HttpContext context, CancellationToken ct)
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
        var seats = await SignIn.SeatsAsync(db, account.Id, ct);
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
        // The workspace speaks the agent's language from the next page on.
        Components.WorkspaceForms.SetCultureCookie(context.Response, account.Language);
        return TypedResults.NoContent();
    }

}
