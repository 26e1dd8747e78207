using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Ateb.Features.Chat;

/// <summary>
/// CORS for what a widget on another site calls: /api/v1/chat/{workspace}/*, /api/v1/public/{workspace}/* and the visitor
/// hub's negotiate (/hubs/chat?workspace=slug). Each workspace's policy allows exactly its AllowedOrigins plus Ateb's own
/// origin, GET and POST, the Authorization and Content-Type headers (and SignalR's), without credentials (visitor tokens
/// travel in headers, never cookies), and lets browsers cache a preflight for 10 minutes. Applied by path in one middleware
/// so the hub and the public KB endpoints need nothing of their own; endpoints that require sign-in never get it.
/// WebSockets are not preflighted: the visitor hub checks the Origin itself with <see cref="ChatOrigins.IsAllowed(ChatSettingsSnapshot, HttpContext)"/>.
/// </summary>
internal static class ChatCors
{
    public const string Policy = "chat-widget";
    public static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);
    public static readonly string[] AllowedHeaders = ["authorization", "content-type", "x-requested-with", "x-signalr-user-agent"];
    public static readonly string[] ExposedHeaders = ["retry-after", "content-disposition"];

    public static IServiceCollection AddChatCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddSingleton<ICorsPolicyProvider, ChatCorsPolicyProvider>();
        return services;
    }

    /// <summary>After UseRouting (the policy looks at the endpoint), before authentication.</summary>
    public static IApplicationBuilder UseChatCors(this IApplicationBuilder app) => app.UseCors(Policy);

    /// <summary>The workspace slug a cross-origin widget call names, or null when the path is not one of the widget's.</summary>
    public static string? WorkspaceOf(HttpRequest request)
    {
        var path = request.Path;
        if (path.StartsWithSegments("/hubs/chat", StringComparison.OrdinalIgnoreCase))
        {
            return request.Query["workspace"].ToString() is { Length: > 0 } slug ? slug : null;
        }
        if (path.StartsWithSegments("/api/v1/chat", StringComparison.OrdinalIgnoreCase, out var rest)
            || path.StartsWithSegments("/api/v1/public", StringComparison.OrdinalIgnoreCase, out rest))
        {
            var segments = (rest.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
            return segments.Length >= 2 ? Uri.UnescapeDataString(segments[0]) : null;
        }
        return null;
    }

    public static CorsPolicy For(ChatSettingsSnapshot settings, string ownOrigin) => new CorsPolicyBuilder()
        .SetIsOriginAllowed(origin => ChatOrigins.IsAllowed(settings, origin, ownOrigin))
        .WithMethods(HttpMethods.Get, HttpMethods.Post)
        .WithHeaders(AllowedHeaders)
        .WithExposedHeaders(ExposedHeaders)
        .DisallowCredentials()
        .SetPreflightMaxAge(PreflightMaxAge)
        .Build();
}

/// <summary>Named policies as configured, plus <see cref="ChatCors.Policy"/>, which is worked out per request from the workspace's settings.</summary>
internal sealed class ChatCorsPolicyProvider(IOptions<CorsOptions> options, ChatSettingsStore store) : ICorsPolicyProvider
{
    private readonly DefaultCorsPolicyProvider _configured = new(options);

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        if (policyName != ChatCors.Policy)
        {
            return await _configured.GetPolicyAsync(context, policyName);
        }
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null || ChatCors.WorkspaceOf(context.Request) is not { } slug)
        {
            return null;
        }
        return await store.FindBySlugAsync(slug, context.RequestAborted) is { } settings ? ChatCors.For(settings, ChatOrigins.OwnOrigin(context.Request)) : null;
    }
}
