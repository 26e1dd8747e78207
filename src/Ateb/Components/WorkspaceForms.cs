using System.Security.Claims;
using Ateb.Features.Agents;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace Ateb.Components;

/// <summary>The two plain form posts of the workspace: change language (before or after sign-in) and sign out.</summary>
internal static class WorkspaceForms
{
    public static void MapWorkspaceForms(this IEndpointRouteBuilder app)
    {
        app.MapPost("/language", ChangeLanguageAsync).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        app.MapPost("/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            return Results.LocalRedirect("/signin");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
    }

    private static async Task<IResult> ChangeLanguageAsync(HttpContext context, UserManager<AgentAccount> users)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var language = form["language"].ToString();
        if (!AgentWorkspace.Languages.Contains(language))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown language.", detail: $"language must be one of {string.Join(", ", AgentWorkspace.Languages)}.");
        }
        SetCultureCookie(context.Response, language);
        if (context.User.Identity?.IsAuthenticated == true
            && await users.FindByIdAsync(context.User.FindFirstValue(Actor.AccountClaim) ?? "") is { } account && account.Language != language)
        {
            account.Language = language;
            await users.UpdateAsync(account);
        }
        return Results.LocalRedirect(LocalOnly(form["returnUrl"]));
    }

    public static void SetCultureCookie(HttpResponse response, string language) =>
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });

    /// <summary>Only paths on this site: "//evil.example" and "/\evil.example" are other sites to a browser.</summary>
    public static string LocalOnly(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            && Uri.IsWellFormedUriString(url, UriKind.Relative) ? url : "/";
}
