namespace Ateb.Infrastructure.Web;

public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            headers.XFrameOptions = "DENY";
            headers.CacheControl = "no-store";
        }
        await next();
    });
}
