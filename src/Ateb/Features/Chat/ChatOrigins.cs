using System.Globalization;

namespace Ateb.Features.Chat;

/// <summary>
/// The sites allowed to embed a workspace's widget: origins written scheme://host[:port], compared in one canonical form
/// (lower-case, punycode host, default port dropped). Used by the CORS policy of the visitor endpoints and by the visitor
/// hub, which must check a WebSocket's Origin itself because browsers do not preflight WebSockets.
/// </summary>
internal static class ChatOrigins
{
    public const int MaxLength = 300;

    /// <summary>The canonical form of an origin, or null when it is not an http(s) scheme://host[:port] (no path, query, user or wildcard).</summary>
    public static string? Normalize(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || text.Contains('*', StringComparison.Ordinal)
            || !Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || uri.HostNameType == UriHostNameType.Unknown || text.TrimEnd('/').Count(c => c == '/') != 2)
        {
            return null;
        }
        var host = uri.HostNameType == UriHostNameType.Dns ? uri.IdnHost.ToLowerInvariant() : uri.Host.ToLowerInvariant();
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Whether a browser page at <paramref name="origin"/> may use this workspace's widget: one of its allowed origins, or
    /// Ateb's own origin (<paramref name="ownOrigin"/>, the help center). No Origin at all is not a browser acting for a
    /// page (a server or an app), so it is allowed: tokens, not origins, protect visitors; origins keep other sites' pages out.
    /// </summary>
    public static bool IsAllowed(ChatSettingsSnapshot settings, string? origin, string? ownOrigin = null) =>
        IsAllowed(settings.AllowedOrigins, origin, ownOrigin);

    /// <summary>The same with the list itself (canonical origins, as ChatSettings.AllowedOrigins stores them).</summary>
    public static bool IsAllowed(IReadOnlyList<string> allowedOrigins, string? origin, string? ownOrigin)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }
        if (Normalize(origin) is not { } canonical)
        {
            return false;
        }
        return (ownOrigin is not null && Normalize(ownOrigin) == canonical) || allowedOrigins.Contains(canonical, StringComparer.Ordinal);
    }

    /// <summary>The same check for a request (a hub's negotiate or WebSocket upgrade): its Origin header against the workspace's list and Ateb's own origin.</summary>
    public static bool IsAllowed(ChatSettingsSnapshot settings, HttpContext context) =>
        IsAllowed(settings, context.Request.Headers.Origin.ToString(), OwnOrigin(context.Request));

    /// <summary>Ateb's own origin as this request reached it (scheme://host[:port]).</summary>
    public static string OwnOrigin(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}";
}
