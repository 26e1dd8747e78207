using System.Collections.Concurrent;
using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ateb.Features.Chat;

/// <summary>
/// The widget's hub. A connection is nobody until Hello presents a valid visitor token for the workspace named in the
/// hub URL, from an allowed origin; it then joins its customer's group, and every other call acts as that visitor only.
/// </summary>
internal sealed class ChatHub(ChatDesk desk, VisitorTokens tokens, AtebDb db, WorkspaceScope scope, IOptions<ChatOptions> options) : Hub<IChatVisitorClient>
{
    private const string PassKey = "visitor";
    private const string GroupKey = "group";
    private const string SendsKey = "sends";
    private const string TypingKey = "typing";

    public async Task<VisitorSync> Hello(HelloRequest request)
    {
        var pass = tokens.Read(request.Token) ?? throw new HubException("unauthenticated");
        var http = Context.GetHttpContext();
        var slug = http?.Request.Query["workspace"].ToString();
        scope.Enter(pass.WorkspaceId);
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == pass.WorkspaceId).Select(w => new { w.Slug }).FirstOrDefaultAsync(Context.ConnectionAborted);
        if (workspace is null || (!string.IsNullOrEmpty(slug) && !string.Equals(slug, workspace.Slug, StringComparison.OrdinalIgnoreCase)))
        {
            throw new HubException("forbidden");
        }
        var settings = await db.ChatSettings.AsNoTracking().FirstOrDefaultAsync(Context.ConnectionAborted);
        if (http is not null && !ChatOriginCheck.IsAllowed(settings?.AllowedOrigins, http.Request.Headers.Origin.ToString(), http.Request))
        {
            throw new HubException("forbidden");
        }
        var sync = await Guarded(() => desk.HelloAsync(pass, request.LastMessageId, request.Language, Context.ConnectionAborted));
        var visitor = await db.ChatVisitors.AsNoTracking().Where(v => v.Id == pass.VisitorId).Select(v => v.CustomerId).FirstAsync(Context.ConnectionAborted);
        var group = ChatGroups.Visitor(visitor);
        if (Context.Items.TryGetValue(GroupKey, out var old) && old is string previous && previous != group)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, previous);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        Context.Items[PassKey] = pass;
        Context.Items[GroupKey] = group;
        return sync;
    }

    public async Task<ChatSendResult> Send(VisitorSendRequest request)
    {
        var pass = Pass();
        if (!Allowed())
        {
            throw new HubException("rate_limited");
        }
        return await Guarded(() => desk.VisitorSendAsync(pass, request, Context.ConnectionAborted));
    }

    public async Task Typing(bool isTyping)
    {
        var pass = Pass();
        // One signal a second at most; a stop always goes through.
        var now = Environment.TickCount64;
        if (isTyping && Context.Items.TryGetValue(TypingKey, out var last) && last is long at && now - at < 1000)
        {
            return;
        }
        Context.Items[TypingKey] = now;
        await Guarded(() => desk.VisitorTypingAsync(pass, isTyping, Context.ConnectionAborted));
    }

    public async Task Marks(MarkRequest request) => await Guarded(() => desk.VisitorMarksAsync(Pass(), request, Context.ConnectionAborted));

    public async Task<ChatConversationView> End() => await Guarded(() => desk.VisitorEndAsync(Pass(), Context.ConnectionAborted));

    public async Task Rate(RateRequest request) => await Guarded(() => desk.RateAsync(Pass(), request, Context.ConnectionAborted));

    public async Task Transcript(TranscriptRequest request)
    {
        var pass = Pass();
        await Guarded(() => desk.TranscriptAsync(pass, request, Context.ConnectionAborted));
    }

    private VisitorPass Pass()
    {
        if (Context.Items.TryGetValue(PassKey, out var value) && value is VisitorPass pass && tokens.StillValid(pass))
        {
            scope.Enter(pass.WorkspaceId);
            return pass;
        }
        throw new HubException("unauthenticated");
    }

    /// <summary>A sliding window of sends per connection.</summary>
    private bool Allowed()
    {
        var window = options.Value.SendWindow;
        var sends = (Queue<DateTimeOffset>)(Context.Items.TryGetValue(SendsKey, out var q) && q is Queue<DateTimeOffset> existing ? existing : Context.Items[SendsKey] = new Queue<DateTimeOffset>());
        var now = DateTimeOffset.UtcNow;
        lock (sends)
        {
            while (sends.Count > 0 && now - sends.Peek() > window)
            {
                sends.Dequeue();
            }
            if (sends.Count >= options.Value.SendsPerWindow)
            {
                return false;
            }
            sends.Enqueue(now);
            return true;
        }
    }

    internal static async Task<T> Guarded<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ChatException problem)
        {
            throw new HubException(problem.Code);
        }
    }

    internal static async Task Guarded(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (ChatException problem)
        {
            throw new HubException(problem.Code);
        }
    }
}

/// <summary>
/// The agents' hub. The connection's actor is resolved when it connects (sign-in cookie or API token) and its seat is
/// re-read every half minute, so a removed agent loses the hub too. Agents join only their own and their workspace's groups.
/// </summary>
[Authorize(Policy = Policies.Member)]
internal sealed class AgentHub(ChatDesk desk, ChatPresence presence, AtebDb db, WorkspaceScope scope) : Hub<IChatAgentClient>
{
    private const string ActorKey = "actor";
    private const string CheckedKey = "checked";

    public override async Task OnConnectedAsync()
    {
        if (Context.GetHttpContext()?.Items[Actor.ItemKey] is not Actor actor)
        {
            Context.Abort();
            return;
        }
        Context.Items[ActorKey] = actor;
        Context.Items[CheckedKey] = Environment.TickCount64;
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Agent(actor.MembershipId));
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Agents(actor.WorkspaceId));
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await presence.DisconnectAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    public async Task<AgentSync> Hello()
    {
        var actor = await ActorAsync();
        await presence.ConnectAsync(actor.WorkspaceId, actor.MembershipId, Context.ConnectionId, Context.ConnectionAborted);
        return await ChatHub.Guarded(() => desk.AgentSyncAsync(actor, Context.ConnectionAborted));
    }

    public async Task SetAvailable(bool available)
    {
        var actor = await ActorAsync();
        await ChatHub.Guarded(() => desk.SetAvailableAsync(actor, available, Context.ConnectionAborted));
    }

    public async Task<ChatDetail> Accept(Guid chatId)
    {
        var actor = await ActorAsync();
        var detail = await ChatHub.Guarded(() => desk.AcceptAsync(actor, chatId, Context.ConnectionAborted));
        // The holder's connections hear the chat through their agent group; in the chat group too, they would get
        // every message twice (a send to two groups reaches a connection once per group).
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, ChatGroups.Chat(chatId));
        return detail;
    }

    public async Task Decline(Guid chatId)
    {
        var actor = await ActorAsync();
        await ChatHub.Guarded(() => desk.DeclineAsync(actor, chatId, Context.ConnectionAborted));
    }

    public async Task<ChatDetail> Open(Guid chatId, Guid? lastMessageId)
    {
        var actor = await ActorAsync();
        var detail = await ChatHub.Guarded(() => desk.OpenAsync(actor, chatId, lastMessageId, Context.ConnectionAborted));
        if (detail.Chat.State == ChatState.Active && detail.Chat.AgentId == actor.MembershipId)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, ChatGroups.Chat(chatId)); // the holder: see Accept
        }
        else
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Chat(chatId));
        }
        return detail;
    }

    public async Task Leave(Guid chatId)
    {
        await ActorAsync();
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, ChatGroups.Chat(chatId));
    }

    public async Task<ChatMessageView> Send(Guid chatId, AgentSendRequest request)
    {
        var actor = await ActorAsync();
        return await ChatHub.Guarded(() => desk.AgentSendAsync(actor, chatId, request, Context.ConnectionAborted));
    }

    public async Task Typing(Guid chatId, bool isTyping)
    {
        var actor = await ActorAsync();
        await ChatHub.Guarded(() => desk.AgentTypingAsync(actor, chatId, isTyping, Context.ConnectionAborted));
    }

    public async Task Marks(Guid chatId, MarkRequest request)
    {
        var actor = await ActorAsync();
        await ChatHub.Guarded(() => desk.AgentMarksAsync(actor, chatId, request, Context.ConnectionAborted));
    }

    public async Task<ChatSummary> Transfer(Guid chatId, TransferRequest request)
    {
        var actor = await ActorAsync();
        return await ChatHub.Guarded(() => desk.TransferAsync(actor, chatId, request, Context.ConnectionAborted));
    }

    public async Task<ChatSummary> End(Guid chatId)
    {
        var actor = await ActorAsync();
        return await ChatHub.Guarded(() => desk.EndAsync(actor, chatId, Context.ConnectionAborted));
    }

    private async Task<Actor> ActorAsync()
    {
        if (Context.Items[ActorKey] is not Actor actor)
        {
            throw new HubException("unauthenticated");
        }
        scope.Enter(actor.WorkspaceId);
        if (Context.Items[CheckedKey] is long at && Environment.TickCount64 - at > 30_000)
        {
            var seat = await db.Memberships.AsNoTracking().Where(m => m.Id == actor.MembershipId && m.Active).Select(m => new { m.Role }).FirstOrDefaultAsync(Context.ConnectionAborted);
            if (seat is null)
            {
                Context.Abort();
                throw new HubException("unauthenticated");
            }
            actor = actor with { Role = seat.Role };
            Context.Items[ActorKey] = actor;
            Context.Items[CheckedKey] = Environment.TickCount64;
        }
        return actor;
    }
}

/// <summary>Browsers do not preflight WebSockets, so the hub checks the Origin itself: the workspace's allowed origins and Ateb's own.</summary>
internal static class ChatOriginCheck
{
    public static bool IsAllowed(string? allowedOrigins, string? origin, HttpRequest request) =>
        ChatOrigins.IsAllowed(ChatSettingsStore.ReadOrigins(allowedOrigins ?? ""), origin, ChatOrigins.OwnOrigin(request));
}
