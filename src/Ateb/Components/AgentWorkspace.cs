using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Ateb.Components;

/// <summary>The Blazor agent workspace: interactive server rendering, four UI languages, right to left where they are.</summary>
internal static class AgentWorkspace
{
    public static readonly string[] Languages = ["en", "fa", "ar", "cy"];

    public static IServiceCollection AddAgentWorkspace(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddScoped<Session.AgentSession>();
        services.AddScoped<Session.CircuitPresence>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<Session.CircuitPresence>());
        services.AddSingleton<Features.Tickets.TicketPresence>();
        services.AddScoped<Features.Chat.Pages.AgentChats>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<Features.Chat.Pages.AgentChats>());
        return services;
    }

    /// <summary>The agent's language rides in the culture cookie (set at sign-in and when they change it); before sign-in, Accept-Language.</summary>
    public static IApplicationBuilder UseAgentLanguages(this IApplicationBuilder app) =>
        app.UseRequestLocalization(o =>
        {
            var cultures = Languages.Select(CultureInfo.GetCultureInfo).ToList();
            o.DefaultRequestCulture = new RequestCulture("en");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });

    public static void MapAgentWorkspace(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapWorkspaceForms();
    }
}
