using System.Text.Json;
using System.Text.Json.Serialization;
using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Realtime;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Ateb.Features.Chat;

public static class ChatFeature
{
    /// <summary>Largest hub message accepted (a 5,000-character text in JSON with room to spare).</summary>
    public const long MaxHubMessageBytes = 64 * 1024;

    public static IServiceCollection AddChat(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<ChatOptions>(config.GetSection("Chat"));
        services.AddSingleton<VisitorTokens>();
        services.AddSingleton<ChatRouterSignal>();
        services.AddSingleton<ChatPresence>();
        services.AddSingleton<ChatAgentNames>();
        services.AddHostedService(sp => sp.GetRequiredService<ChatPresence>());
        services.AddSingleton<ChatRouter>();
        services.AddHostedService(sp => sp.GetRequiredService<ChatRouter>());
        services.AddScoped<ChatDesk>();
        services.AddScoped<ChatBroadcast>();
        services.AddScoped<ChatQueueFacts>();
        services.AddScoped<ChatAvailabilityCheck>();
        services.AddScoped<ChatRoutingPass>();
        services.AddSingleton<IOutboxSender, ChatTranscriptSender>();
        var signalR = services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = MaxHubMessageBytes;
                o.EnableDetailedErrors = false;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        if (config["Redis:Connection"] is { Length: > 0 } redis)
        {
            // Hub messages to groups and users cross nodes through Redis; the LiveEvents bridge does the same for the workspace.
            signalR.AddStackExchangeRedis(redis, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal("ateb");
                o.Configuration.AbortOnConnectFail = false;
            });
            services.AddHostedService<RedisLiveBridge>();
        }
        return services;
    }

    public static void MapChatHubs(this IEndpointRouteBuilder app)
    {
        app.MapHub<ChatHub>("/hubs/chat", o => o.Transports = HttpTransportType.WebSockets | HttpTransportType.LongPolling);
        app.MapHub<AgentHub>("/hubs/agent");
    }

    public static void MapChat(this IEndpointRouteBuilder api)
    {
        var visitor = api.MapGroup("/chat/{workspace}").WithTags("Live chat (visitors)").ForVisitors();
        visitor.MapPost("/attachments", UploadAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.Public);
        visitor.MapGet("/attachments/{id:guid}", DownloadAsync);
        // Agents talk over /hubs/agent; a file does not fit a hub frame, so it comes here (cookie or API token).
        api.MapGroup("/chats").WithTags("Live chat (agents)").MapPost("/{id:guid}/attachments", AgentUploadAsync);
    }

    /// <summary>
    /// An agent sends a file in a chat: multipart with <c>file</c>, <c>clientId</c> (the same id again is the same
    /// message), optional <c>text</c> (a caption) and <c>isNote</c>. Answers the message as agents see it.
    /// </summary>
    private static async Task<Results<Ok<ChatMessageView>, ProblemHttpResult>> AgentUploadAsync(Guid id, HttpRequest request, Actor actor, ChatDesk desk,
        AtebDb db, CancellationToken ct)
    {
        // Another workspace's chat is not found, whatever was sent with it.
        if (!await db.ChatConversations.AnyAsync(c => c.Id == id, ct))
        {
            return Problems.NotFound("chat");
        }
        var (form, unreadable) = await Multipart.ReadAsync(request, "file", ct);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var file = form.Files.GetFile("file");
        var clientId = form["clientId"].ToString();
        var text = form["text"].ToString();
        var isNote = form["isNote"].ToString();
        var check = new Check()
            .When(file is null || file.Length == 0, "file", "is required: a multipart part named file, not empty.")
            .When(file is { Length: > Limits.AttachmentBytes }, "file", $"must be at most {Limits.AttachmentBytes / 1024 / 1024} MB.")
            .When(clientId.Length is 0 or > 100, "clientId", "is required: the client's id for this message, at most 100 characters.")
            .When(text.Length > ChatOptions.MaxText, "text", $"must be at most {ChatOptions.MaxText} characters.")
            .When(isNote.Length > 0 && !bool.TryParse(isNote, out _), "isNote", "must be true or false.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var upload = await Multipart.AttachmentAsync(file!, ct);
        try
        {
            return TypedResults.Ok(await desk.AgentUploadAsync(actor, id, new AgentSendRequest(clientId, text, isNote.Length > 0 && bool.Parse(isNote)), upload, ct));
        }
        catch (ChatException e)
        {
            return e.Code switch
            {
                "not_found" => Problems.NotFound("chat"),
                "forbidden" => Problems.Forbidden(e.Message),
                "ended" => Problems.Conflict(e.Message),
                _ => Problems.Field("file", e.Message),
            };
        }
    }

    private static async Task<IResult> UploadAsync(string workspace, HttpRequest request, VisitorTokens tokens, ChatDesk desk, CancellationToken ct)
    {
        if (await PassAsync(workspace, request, tokens, desk, ct) is not { } pass)
        {
            return Problems.Unauthorized("A valid visitor token in the Authorization header.");
        }
        var (form, unreadable) = await Multipart.ReadAsync(request, "file", ct);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var file = form.Files["file"];
        var clientId = form["clientId"].ToString();
        var check = new Check()
            .When(file is null || file.Length == 0, "file", "A file, please.")
            .When(file is { Length: > Limits.AttachmentBytes }, "file", $"At most {Limits.AttachmentBytes / 1024 / 1024} MB.")
            .When(clientId.Length is 0 or > 100, "clientId", "The client's id for this message, at most 100 characters.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var upload = await Multipart.AttachmentAsync(file!, ct);
        try
        {
            return TypedResults.Ok(await desk.VisitorUploadAsync(pass, clientId, upload, ct));
        }
        catch (ChatException problem)
        {
            return problem.Code == "chat_offline"
                ? Problems.Conflict("Chat is not open right now.")
                : new Check().When(true, "file", problem.Message).Problem();
        }
    }

    private static async Task<IResult> DownloadAsync(string workspace, Guid id, HttpRequest request, HttpResponse response, VisitorTokens tokens,
        ChatDesk desk, IBlobStore blobs, CancellationToken ct)
    {
        if (await PassAsync(workspace, request, tokens, desk, ct) is not { } pass)
        {
            return Problems.Unauthorized("A valid visitor token in the Authorization header.");
        }
        return await Attachments.ServeAsync(await desk.VisitorAttachmentAsync(pass, id, ct), blobs, response, ct);
    }

    /// <summary>The visitor pass in the Authorization header, if it is for this workspace slug.</summary>
    private static async Task<VisitorPass?> PassAsync(string workspace, HttpRequest request, VisitorTokens tokens, ChatDesk desk, CancellationToken ct)
    {
        var pass = tokens.Read(VisitorTokens.FromHeader(request));
        return pass is not null && await desk.IsWorkspaceAsync(pass, workspace, ct) ? pass : null;
    }
}
