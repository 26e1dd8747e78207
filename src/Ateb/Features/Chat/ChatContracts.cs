namespace Ateb.Features.Chat;

// The live-chat wire contract: what the widget (visitors, /hubs/chat) and agents' clients (/hubs/agent) send and receive.
// Names are camelCase on the wire (SignalR's JSON protocol); enums travel as lower-case strings. docs/chat-protocol.md
// explains the flow; change both together.

/// <summary>Where a conversation stands. Queued: waiting for an agent; Offered: an agent is being asked to take it;
/// Active: an agent has it; Ended: over (the ticket stays in the customer's timeline).</summary>
public enum ChatState { Queued, Offered, Active, Ended }

/// <summary>Why chat is or is not open right now; anything but Open turns the widget into the contact form.</summary>
public enum ChatAvailability { Open, Disabled, OutsideHours, NoAgents, QueueFull }

public enum ChatAuthor { Visitor, Agent, System }

public enum PreChatForm { None, Optional, Required }

/// <summary>What the widget needs before it draws anything: GET /api/v1/chat/{workspace}/widget?lang=.</summary>
public sealed record WidgetConfig(
    string Workspace,
    string Name,
    string BrandColor,
    string Greeting,
    string Language,
    string[] Languages,
    PreChatForm PreChat,
    ChatAvailabilityView Availability,
    long MaxFileBytes,
    string HelpCenterUrl);

public sealed record ChatAvailabilityView(ChatAvailability State, DateTimeOffset? NextOpenAt);

/// <summary>POST /api/v1/chat/{workspace}/visitors. Send the previous token in the Authorization header to renew it
/// (same visitor, same history). UserId + UserHash (hex HMAC-SHA256 of UserId with the workspace's identity secret)
/// make a verified visitor who joins their customer record; without a valid hash the visitor is anonymous.</summary>
public sealed record VisitorRequest(string? Name, string? Email, string? UserId, string? UserHash, string? Language);

public sealed record VisitorToken(string Token, DateTimeOffset ExpiresAt, Guid VisitorId, bool Verified);

/// <summary>POST /api/v1/chat/{workspace}/contact: the offline form (the help center's contact form, as JSON).</summary>
public sealed record ContactRequest(string? Name, string? Email, string? Subject, string? Message, string? Language);

public sealed record ContactReceipt(long TicketNumber);

public sealed record ChatAttachmentView(Guid Id, string FileName, string ContentType, long Size, string Url);

/// <summary>One message as either side sees it. Text is plain text: every client renders it escaped.</summary>
public sealed record ChatMessageView(
    Guid Id,
    Guid ConversationId,
    string? ClientId,
    ChatAuthor Author,
    string? AuthorName,
    string Text,
    bool IsNote,
    ChatAttachmentView[] Attachments,
    DateTimeOffset CreatedAt);

/// <summary>A conversation as the visitor sees it.</summary>
public sealed record ChatConversationView(
    Guid Id,
    long Number,
    ChatState State,
    int? QueuePosition,
    int? EstimatedWaitSeconds,
    string? AgentName,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    int? Rating,
    Guid? DeliveredUpTo,
    Guid? ReadUpTo);

// ---- visitor hub: /hubs/chat?workspace={slug} ----

/// <summary>The first call on every (re)connection: authenticates it with the visitor token (never put in a URL) and
/// returns everything after LastMessageId in the visitor's current (or most recent) conversation.</summary>
public sealed record HelloRequest(string Token, Guid? LastMessageId, string? Language);

public sealed record VisitorSync(
    Guid VisitorId,
    string? Name,
    bool Verified,
    ChatAvailabilityView Availability,
    ChatConversationView? Conversation,
    ChatMessageView[] Messages);

/// <summary>ClientId makes a resend idempotent: the same ClientId again returns the stored message, never a second one.
/// Without an active conversation a send starts one (if chat is open; otherwise the call fails with "chat_offline").</summary>
public sealed record VisitorSendRequest(string ClientId, string Text, string? PageUrl, string? PageTitle);

public sealed record ChatSendResult(ChatMessageView Message, ChatConversationView Conversation);

public sealed record RateRequest(int Score, string? Comment);

public sealed record TranscriptRequest(string? Email);

public sealed record ChatTyping(Guid ConversationId, ChatAuthor Who, string? Name, bool IsTyping);

/// <summary>This side's client received (delivered) and showed (read) the other side's messages up to these ids.</summary>
public sealed record MarkRequest(Guid? DeliveredUpTo, Guid? ReadUpTo);

/// <summary>The other side has received (delivered) and seen (read) messages up to these ids.</summary>
public sealed record ChatMarks(Guid ConversationId, ChatAuthor By, Guid? DeliveredUpTo, Guid? ReadUpTo);

/// <summary>What the server calls on a visitor's connection.</summary>
public interface IChatVisitorClient
{
    Task Message(ChatMessageView message);

    Task Conversation(ChatConversationView conversation);

    Task Typing(ChatTyping typing);

    Task Marks(ChatMarks marks);

    Task Availability(ChatAvailabilityView availability);
}

// ---- agent hub: /hubs/agent (sign-in cookie or API token in the Authorization header) ----

public sealed record ChatOffer(Guid ConversationId, long Number, string VisitorName, string Preview, DateTimeOffset WaitingSince, DateTimeOffset ExpiresAt);

/// <summary>A conversation in an agent's list.</summary>
public sealed record ChatSummary(
    Guid Id,
    long Number,
    ChatState State,
    string VisitorName,
    bool Verified,
    Guid? CustomerId,
    Guid? AgentId,
    string? AgentName,
    Guid? TeamId,
    string Preview,
    DateTimeOffset QueuedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? EndedAt,
    int? Rating,
    string? PageUrl);

public sealed record ChatQueueView(int Waiting, int AgentsAvailable, int? LongestWaitSeconds);

public sealed record AgentSync(bool Available, int MaxChats, ChatSummary[] Chats, ChatOffer[] Offers, ChatQueueView Queue);

public sealed record ChatDetail(ChatSummary Chat, ChatMessageView[] Messages, ChatMarks VisitorMarks);

public sealed record AgentSendRequest(string ClientId, string Text, bool IsNote);

/// <summary>Hand the chat to one agent (offered to them) or back to a team's queue; Note is an internal note for the next agent.</summary>
public sealed record TransferRequest(Guid? AgentId, Guid? TeamId, string? Note);

/// <summary>What the server calls on an agent's connection.</summary>
public interface IChatAgentClient
{
    Task Offer(ChatOffer offer);

    Task OfferWithdrawn(Guid conversationId);

    Task Chat(ChatSummary chat);

    Task Message(ChatMessageView message);

    Task Typing(ChatTyping typing);

    Task Marks(ChatMarks marks);

    Task Queue(ChatQueueView queue);
}
