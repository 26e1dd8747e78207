using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Ateb.Features.Agents;

internal static class AuthFeature
{
    public const string Scheme = "Ateb";

    /// <summary>Bearer tokens for the API, Identity's cookie for the UI; one policy scheme picks per request.</summary>
    public static IServiceCollection AddAtebAuth(this IServiceCollection services, Action<AuthenticationBuilder> addTokens)
    {
        services.AddIdentityCore<AgentAccount>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                // No lockout: it lets anyone lock an agent out and tells who has an account. LoginThrottle limits instead.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddEntityFrameworkStores<AtebDb>()
            .AddSignInManager();
        var builder = services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Token or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? Tokens.TokenAuthentication.SchemeName
                    : IdentityConstants.ApplicationScheme);
        builder.AddIdentityCookies(o => o.ApplicationCookie?.Configure(c =>
        {
            c.Cookie.Name = "ateb";
            c.Cookie.HttpOnly = true;
            c.Cookie.SameSite = SameSiteMode.Lax;
            c.SlidingExpiration = true;
            c.ExpireTimeSpan = TimeSpan.FromDays(7);
            // An API answers with status codes; the agent workspace sends the browser to its sign-in page.
            c.LoginPath = "/signin";
            c.Events.OnRedirectToLogin = context => context.Request.Path.StartsWithSegments("/api")
                ? Status(context, StatusCodes.Status401Unauthorized)
                : Redirect(context);
            c.Events.OnRedirectToAccessDenied = context => Status(context, StatusCodes.Status403Forbidden);
        }));
        addTokens(builder);
        // When Identity refreshes the cookie after checking the security stamp, the seat claims must survive.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            var seat = context.CurrentPrincipal?.Claims.Where(c => c.Type is Actor.MembershipClaim or Actor.WorkspaceClaim).ToList() ?? [];
            ((System.Security.Claims.ClaimsIdentity?)context.NewPrincipal?.Identity)?.AddClaims(seat);
            return Task.CompletedTask;
        });
        services.AddSingleton<LoginThrottle>();
        services.AddScoped<SignInAgent>();
        services.AddScoped<GetPreferences>().AddScoped<UpdatePreferences>();
        services.AddAtebPolicies();
        return services;
    }

    private static Task Redirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task Status(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
