using System.Text.Json;
using System.Text.Json.Serialization;
using Ateb.Features.Agents;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ateb.Features.Chat;

/// <summary>
/// The chat policy an admin sets (GET/PUT /api/v1/chat/settings, POST .../identity-secret) and the widget's public HTTP
/// doors (GET .../{workspace}/widget, POST .../{workspace}/visitors, POST .../{workspace}/contact); docs/chat-protocol.md.
/// </summary>
internal static class ChatSettingsFeature
{
    public static IServiceCollection AddChatSettings(this IServiceCollection services)
    {
        services.AddSingleton<ChatSettingsStore>();
        services.TryAddSingleton<VisitorTokens>();
        services.TryAddScoped<ChatAvailabilityCheck>();
        services.AddScoped<UpdateChatSettings>();
        services.AddScoped<RotateIdentitySecret>();
        services.AddScoped<IssueVisitorToken>();
        services.AddScoped<SubmitChatContact>();
        services.AddChatCors();
        return services;
    }

    public static void MapChatSettings(this IEndpointRouteBuilder api)
    {
        var admin = api.MapGroup("/chat/settings").WithTags("Chat").RequireAuthorization(Policies.Admin);
        admin.MapGet("/", GetAsync);
        admin.MapPut("/", (ChatSettingsRequest body, UpdateChatSettings handler, Actor actor, CancellationToken ct) => handler.HandleAsync(body, actor, ct));
        admin.MapPost("/identity-secret", (RotateIdentitySecret handler, Actor actor, CancellationToken ct) => handler.HandleAsync(actor, ct));

        var visitors = api.MapGroup("/chat/{workspace}").WithTags("Chat widget").ForVisitors().AddEndpointFilter(RefuseForeignOrigins);
        visitors.MapGet("/widget", (string workspace, string? lang, HttpContext http, CancellationToken ct) =>
                InWorkspaceAsync(http, workspace, (sp, settings) => WidgetAsync(sp, settings, lang, http.Request, ct)))
            .Produces<WidgetConfig>().RequireRateLimiting(RateLimits.Chat);
        visitors.MapPost("/visitors", (string workspace, VisitorRequest body, HttpContext http, CancellationToken ct) =>
                InWorkspaceAsync(http, workspace, async (sp, settings) =>
                    await sp.GetRequiredService<IssueVisitorToken>().HandleAsync(settings, body, VisitorTokens.FromHeader(http.Request), ct)))
            .Produces<VisitorToken>().RequireRateLimiting(RateLimits.Chat);
        visitors.MapPost("/contact", (string workspace, ContactRequest body, HttpContext http, CancellationToken ct) =>
                InWorkspaceAsync(http, workspace, async (sp, settings) => await sp.GetRequiredService<SubmitChatContact>().HandleAsync(settings, body, ct)))
            .Produces<ContactReceipt>().RequireRateLimiting(RateLimits.Public);
    }

    internal static async Task<Ok<ChatSettingsResponse>> GetAsync(Actor actor, ChatSettingsStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.GetAsync(actor.WorkspaceId, ct))!.ToResponse());

    private static async Task<IResult> WidgetAsync(IServiceProvider services, ChatSettingsSnapshot settings, string? lang, HttpRequest request, CancellationToken ct)
    {
        var language = PickLanguage(settings, lang);
        var availability = await services.GetRequiredService<ChatAvailabilityCheck>().CheckAsync(settings, ct);
        var config = new WidgetConfig(settings.Slug, settings.WorkspaceName, settings.BrandColor, settings.Greeting(language), language, [.. settings.Languages],
            settings.PreChat, availability, Limits.AttachmentBytes, $"{ChatOrigins.OwnOrigin(request)}/help/{Uri.EscapeDataString(language)}");
        return TypedResults.Json(config, ChatJson.Options);
    }

    /// <summary>The workspace language closest to what the visitor asked for: the same tag, the same primary language, else the default.</summary>
    internal static string PickLanguage(ChatSettingsSnapshot settings, string? asked)
    {
        if (LanguageTags.Normalize(asked) is not { } tag)
        {
            return settings.DefaultLanguage;
        }
        return settings.Languages.FirstOrDefault(l => string.Equals(l, tag, StringComparison.OrdinalIgnoreCase))
            ?? settings.Languages.FirstOrDefault(l => LanguageTags.Primary(l) == LanguageTags.Primary(tag))
            ?? settings.DefaultLanguage;
    }

    /// <summary>
    /// Runs a public call in the named workspace. A signed-in agent of another workspace (the widget on Ateb's own help
    /// center sends cookies) already has a request scope in theirs, which cannot switch, so the call gets a fresh DI scope.
    /// </summary>
    private static async Task<IResult> InWorkspaceAsync(HttpContext http, string slug, Func<IServiceProvider, ChatSettingsSnapshot, Task<IResult>> work)
    {
        var store = http.RequestServices.GetRequiredService<ChatSettingsStore>();
        if (await store.FindBySlugAsync(slug, http.RequestAborted) is not { } settings)
        {
            return UnknownWorkspace(slug);
        }
        var scope = http.RequestServices.GetRequiredService<WorkspaceScope>();
        if (scope.WorkspaceId is null || scope.WorkspaceId == settings.WorkspaceId)
        {
            scope.Enter(settings.WorkspaceId);
            return await work(http.RequestServices, settings);
        }
        await using var fresh = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        fresh.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(settings.WorkspaceId);
        return await work(fresh.ServiceProvider, settings);
    }

    /// <summary>Browsers enforce CORS on reading answers; this refuses the call itself when a page from a site the workspace did not allow makes it.</summary>
    private static async ValueTask<object?> RefuseForeignOrigins(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && ChatCors.WorkspaceOf(http.Request) is { } slug
            && await http.RequestServices.GetRequiredService<ChatSettingsStore>().FindBySlugAsync(slug, http.RequestAborted) is { } settings
            && !ChatOrigins.IsAllowed(settings, http))
        {
            return Problems.Forbidden("This site is not among the workspace's allowed origins for the chat widget (chat settings).");
        }
        return await next(context);
    }

    private static ProblemHttpResult UnknownWorkspace(string slug) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not found",
        Detail = $"No workspace has the address \"{Truncate.ToLength(slug, 100)}\" (the widget's data-workspace).",
    });
}

/// <summary>JSON of the chat wire contract on HTTP: camelCase names and camelCase enum strings ("outsideHours"), as on the hubs.</summary>
internal static class ChatJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }
}
