using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Chat;

/// <summary>The hub groups. Only the server puts connections in them, after checking who they are.</summary>
internal static class ChatGroups
{
    public static string Visitor(Guid customerId) => $"visitor:{customerId:N}";

    public static string Agent(Guid membershipId) => $"agent:{membershipId:N}";

    public static string Agents(Guid workspaceId) => $"agents:{workspaceId:N}";

    public static string Chat(Guid chatId) => $"chat:{chatId:N}";
}

/// <summary>LiveEvents topics for the Blazor workspace (which calls ChatDesk in-process rather than the hub).</summary>
public static class ChatTopics
{
    /// <summary>Offers and changes to chats this agent holds.</summary>
    public static string Agent(Guid membershipId) => $"chat-agent:{membershipId:N}";

    /// <summary>Any chat of the workspace changed state, or the queue or agents' availability moved.</summary>
    public static string Queue(Guid workspaceId) => $"chat-queue:{workspaceId:N}";

    /// <summary>A message, typing or marks in one chat; Detail is "message", "typing:{0|1}:{who}" or "marks".</summary>
    public static string Chat(Guid chatId) => $"chat:{chatId:N}";
}

/// <summary>
/// Tells everyone concerned that something happened to a chat, after it is stored: the visitor's connections, the
/// agents' hub connections (through the Redis backplane when there are several nodes) and the Blazor workspace (LiveEvents).
/// Best effort: a failed notification is logged, never undoes the stored change; clients resync on reconnect.
/// </summary>
internal sealed class ChatBroadcast(AtebDb db, ChatQueueFacts facts, IHubContext<ChatHub, IChatVisitorClient> visitors,
    IHubContext<AgentHub, IChatAgentClient> agents, LiveEvents live, ILogger<ChatBroadcast> log)
{
    public async Task MessageAsync(ChatConversation chat, Guid customerId, Guid messageId, CancellationToken ct) =>
        await SafelyAsync(async () => await SendMessageAsync(chat, customerId, await facts.MessageViewsAsync(chat, messageId, ct)));

    /// <summary>A message whose views the sender already built (a send returns one of them).</summary>
    public async Task MessageAsync(ChatConversation chat, Guid customerId, ChatMessageViews views) =>
        await SafelyAsync(() => SendMessageAsync(chat, customerId, views));

    private async Task SendMessageAsync(ChatConversation chat, Guid customerId, ChatMessageViews views)
    {
        if (views.ForVisitor is { } forVisitor)
        {
            await visitors.Clients.Group(ChatGroups.Visitor(customerId)).Message(forVisitor);
        }
        await AgentsOf(chat).Message(views.ForAgents);
        live.Publish(new LiveEvent(ChatTopics.Chat(chat.Id), chat.WorkspaceId, chat.Id, "message"));
    }

    public async Task ChangedAsync(ChatConversation chat, CancellationToken ct)
    {
        await SafelyAsync(async () =>
        {
            var customer = await db.Tickets.AsNoTracking().Where(t => t.Id == chat.TicketId).Select(t => t.RequesterId).FirstAsync(ct);
            await visitors.Clients.Group(ChatGroups.Visitor(customer)).Conversation(await facts.VisitorViewAsync(chat, ct));
            var summary = (await facts.SummariesAsync([chat], ct))[0];
            await agents.Clients.Group(ChatGroups.Agents(chat.WorkspaceId)).Chat(summary);
            await agents.Clients.Group(ChatGroups.Agents(chat.WorkspaceId)).Queue(await facts.QueueViewAsync(ct));
            live.Publish(new LiveEvent(ChatTopics.Queue(chat.WorkspaceId), chat.WorkspaceId, chat.Id, chat.State.ToString()));
            live.Publish(new LiveEvent(ChatTopics.Chat(chat.Id), chat.WorkspaceId, chat.Id, "state"));
            foreach (var agent in new[] { chat.AgentId, chat.OfferedToId }.OfType<Guid>().Distinct())
            {
                live.Publish(new LiveEvent(ChatTopics.Agent(agent), chat.WorkspaceId, chat.Id, "chat"));
            }
        });
        if (chat.State is ChatState.Active or ChatState.Ended)
        {
            // It left the queue: everyone behind it moved up.
            var waiting = await db.ChatConversations.AsNoTracking().Where(c => c.State == ChatState.Queued || c.State == ChatState.Offered)
                .OrderBy(c => c.QueuedAt).Take(500).ToListAsync(ct);
            await QueueMovedAsync(waiting, ct);
        }
    }

    /// <summary>Queued visitors' places and estimates moved (someone ahead was taken or left).</summary>
    public async Task QueueMovedAsync(IReadOnlyList<ChatConversation> waiting, CancellationToken ct)
    {
        await SafelyAsync(async () =>
        {
            // A few reads for the whole queue (it was six per waiting visitor: every accept cost the square of the queue).
            foreach (var (customer, view) in await facts.WaitingViewsAsync(waiting, ct))
            {
                await visitors.Clients.Group(ChatGroups.Visitor(customer)).Conversation(view);
            }
        });
    }

    public async Task OfferAsync(ChatConversation chat, CancellationToken ct)
    {
        await SafelyAsync(async () =>
        {
            if (chat.OfferedToId is { } agent && (await facts.OffersAsync([chat], ct)) is [var offer])
            {
                await agents.Clients.Group(ChatGroups.Agent(agent)).Offer(offer);
                live.Publish(new LiveEvent(ChatTopics.Agent(agent), chat.WorkspaceId, chat.Id, "offer"));
            }
        });
    }

    public async Task OfferWithdrawnAsync(Guid agent, Guid chatId, CancellationToken ct)
    {
        await SafelyAsync(async () =>
        {
            await agents.Clients.Group(ChatGroups.Agent(agent)).OfferWithdrawn(chatId);
            live.Publish(new LiveEvent(ChatTopics.Agent(agent), db.CurrentWorkspaceId, chatId, "withdrawn"));
        });
    }

    public async Task TypingAsync(ChatConversation chat, Guid customerId, ChatTyping typing)
    {
        await SafelyAsync(async () =>
        {
            if (typing.Who == ChatAuthor.Visitor)
            {
                await AgentsOf(chat).Typing(typing);
                live.Publish(new LiveEvent(ChatTopics.Chat(chat.Id), chat.WorkspaceId, chat.Id, $"typing:{(typing.IsTyping ? 1 : 0)}:{typing.Name}"));
            }
            else
            {
                await visitors.Clients.Group(ChatGroups.Visitor(customerId)).Typing(typing);
            }
        });
    }

    public async Task MarksAsync(ChatConversation chat, Guid customerId, ChatMarks marks)
    {
        await SafelyAsync(async () =>
        {
            if (marks.By == ChatAuthor.Visitor)
            {
                await AgentsOf(chat).Marks(marks);
                live.Publish(new LiveEvent(ChatTopics.Chat(chat.Id), chat.WorkspaceId, chat.Id, "marks"));
            }
            else
            {
                await visitors.Clients.Group(ChatGroups.Visitor(customerId)).Marks(marks);
            }
        });
    }

    public async Task AvailabilityChangedAsync(Guid workspaceId, CancellationToken ct)
    {
        await SafelyAsync(async () =>
        {
            await agents.Clients.Group(ChatGroups.Agents(workspaceId)).Queue(await facts.QueueViewAsync(ct));
            live.Publish(new LiveEvent(ChatTopics.Queue(workspaceId), workspaceId, null, "agents"));
        });
    }

    /// <summary>The agents' hub connections that follow this chat: those that opened it and the agent holding it.</summary>
    private IChatAgentClient AgentsOf(ChatConversation chat) =>
        chat.AgentId is { } holder
            ? agents.Clients.Groups(ChatGroups.Chat(chat.Id), ChatGroups.Agent(holder))
            : agents.Clients.Group(ChatGroups.Chat(chat.Id));

    private async Task SafelyAsync(Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "A chat notification failed; clients catch up when they resync");
        }
    }
}
