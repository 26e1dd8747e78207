namespace Ateb.Features.Chat;

/// <summary>
/// The chat widget's bundle, wwwroot/widget.js (built from widget/ by scripts/widget.sh and committed), served by the
/// static assets at exactly /widget.js. Host sites load it with a plain cross-origin &lt;script&gt; (no CORS needed);
/// these headers let a page with Cross-Origin-Embedder-Policy or a crossorigin/integrity attribute load it too, and let
/// browsers and CDNs keep it for five minutes (then revalidate with the ETag), so a new release reaches sites quickly.
/// </summary>
internal static class WidgetScript
{
    public const string Path = "/widget.js";

    public static IApplicationBuilder UseWidgetScript(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.OnStarting(() =>
            {
                var response = context.Response;
                if (response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified)
                {
                    response.Headers.CacheControl = "public, max-age=300";
                    response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
                    response.Headers.AccessControlAllowOrigin = "*";
                    if (response.StatusCode == StatusCodes.Status200OK)
                    {
                        response.ContentType = "text/javascript; charset=utf-8";
                    }
                }
                return Task.CompletedTask;
            });
        }
        await next();
    });
}
