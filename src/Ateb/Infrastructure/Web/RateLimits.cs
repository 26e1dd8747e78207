using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Ateb.Infrastructure.Web;

public static class RateLimits
{
    /// <summary>Sign-in and token endpoints: per client address, RateLimits:AuthPerMinute (default 10).</summary>
    public const string Auth = "auth";

    /// <summary>Token management: per signed-in account (else per address), RateLimits:TokensPerMinute (default 30).</summary>
    public const string Tokens = "tokens";

    /// <summary>Raw mail piped to a mailbox: per mailbox, RateLimits:PipePerMinute (default 600).</summary>
    public const string Pipe = "pipe";

    /// <summary>Public help-center forms: per client address, RateLimits:PublicPerMinute (default 20).</summary>
    public const string Public = "public";

    /// <summary>Public reads a page calls as someone types (the chat widget's suggestions): per client address, RateLimits:PublicReadPerMinute (default 120).</summary>
    public const string PublicRead = "public-read";
    /// <summary>The chat widget's HTTP calls (config, visitor tokens): per client address, RateLimits:ChatPerMinute (default 120;
    /// a widget on every page of a busy site behind one office address asks often).</summary>
    public const string Chat = "chat";

    public static IServiceCollection AddAtebRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var perMinute = config.GetValue("RateLimits:AuthPerMinute", 10);
        var tokensPerMinute = config.GetValue("RateLimits:TokensPerMinute", 30);
        var pipePerMinute = config.GetValue("RateLimits:PipePerMinute", 600);
        var publicPerMinute = config.GetValue("RateLimits:PublicPerMinute", 20);
        var publicReadPerMinute = config.GetValue("RateLimits:PublicReadPerMinute", 120);
        var chatPerMinute = config.GetValue("RateLimits:ChatPerMinute", 120);
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(Auth, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(Tokens, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = tokensPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(Pipe, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Request.RouteValues["id"]?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = pipePerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(Public, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = publicPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(PublicRead, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = publicReadPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(Chat, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = chatPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails { Status = 429, Title = "Too many attempts.", Detail = $"Try again in {(int)Math.Ceiling(retry.TotalSeconds)} seconds." },
                });
            };
        });
        return services;
    }
}
