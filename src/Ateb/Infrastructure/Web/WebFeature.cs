using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Infrastructure.Web;

public static partial class WebFeature
{
    public const long MaxRequestBytes = 30 * 1024 * 1024;

    public static IServiceCollection AddAtebWeb(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => Configure(o.SerializerOptions));
        // Bad JSON reaches the exception handler below, which names the offending field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = MaxRequestBytes;
            o.AddServerHeader = false;
        });
        return services;
    }

    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    public static WebApplication UseAtebProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteProblemAsync });
        app.UseStatusCodePages();
        // Kestrel enforces MaxRequestBodySize on streamed bodies; a declared oversize body is refused before it is read.
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > MaxRequestBytes)
            {
                throw new BadHttpRequestException($"The body is larger than {MaxRequestBytes / 1024 / 1024} MB.", StatusCodes.Status413PayloadTooLarge);
            }
            await next(context);
        });
        return app;
    }

    private static async Task WriteProblemAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var problem = error switch
        {
            BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
            BadHttpRequestException bad when BoundParameter().Match(bad.Message) is { Success: true } m =>
                new HttpValidationProblemDetails(new Dictionary<string, string[]> { [JsonNamingPolicy.CamelCase.ConvertName(m.Groups[1].Value)] = ["is not a valid value."] })
                {
                    Status = StatusCodes.Status400BadRequest, Title = "A parameter is not valid.",
                },
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = Title(bad.StatusCode), Detail = bad.Message },
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict",
                Detail = "Someone else changed this record at the same time. Reload it and try again.",
            },
            IOException => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Storage is unavailable right now.",
                Detail = "Nothing was saved. Try again in a moment.",
            },
            _ => new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Something went wrong on our side." },
        };
        context.Response.StatusCode = problem.Status!.Value;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static HttpValidationProblemDetails JsonProblem(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        var message = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "is not a known field."
            : "is not valid JSON for this field.";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is not valid JSON for this endpoint.",
        };
    }

    // "Failed to bind parameter \"int? Limit\" from \"abc\"." -> Limit
    [System.Text.RegularExpressions.GeneratedRegex("parameter \"(?:[^\"]* )?(\\w+)\" from")]
    private static partial System.Text.RegularExpressions.Regex BoundParameter();

    private static string Title(int status) => status switch
    {
        413 => "The request body is too large.",
        415 => "Send the body as application/json.",
        _ => "Bad request.",
    };
}
