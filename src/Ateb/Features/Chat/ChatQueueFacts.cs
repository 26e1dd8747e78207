using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Chat;

/// <summary>A message as the agents see it and as the visitor sees it (null: a note, never shown to the visitor).</summary>
internal sealed record ChatMessageViews(ChatMessageView ForAgents, ChatMessageView? ForVisitor);

internal static class ChatViews
{
    public static ChatAuthor Author(AuthorKind kind) => kind switch
    {
        AuthorKind.Customer => ChatAuthor.Visitor,
        AuthorKind.Agent => ChatAuthor.Agent,
        _ => ChatAuthor.System,
    };

    /// <summary>The client's own id back from the stored external id ("chat:{visitor}:{clientId}" or "agent:{seat}:{clientId}").</summary>
    public static string? ClientId(string? externalId)
    {
        if (externalId is null || !(externalId.StartsWith("chat:", StringComparison.Ordinal) || externalId.StartsWith("agent:", StringComparison.Ordinal)))
        {
            return null;
        }
        var parts = externalId.Split(':', 3);
        return parts.Length == 3 ? parts[2] : null;
    }

    /// <summary>Visitors fetch files through the chat endpoint with their token (slug given); agents through the tickets API.</summary>
    public static ChatMessageView Message(Guid chatId, Message m, string? authorName, string? visitorSlug) => new(
        m.Id, chatId, ClientId(m.ExternalId), Author(m.AuthorKind), authorName, m.BodyText, !m.IsPublic,
        [.. m.Attachments.Select(a => new ChatAttachmentView(a.Id, a.FileName, a.ContentType, a.Size,
            visitorSlug is null ? $"/api/v1/attachments/{a.Id}" : $"/api/v1/chat/{visitorSlug}/attachments/{a.Id}"))],
        m.CreatedAt);
}

/// <summary>
/// What the chat lists show: summaries for agents, offers, the queue, and each waiting visitor's place and estimated
/// wait. The estimate comes from recent handle times: (visitors ahead + 1) x the average length of the workspace's last
/// chats, divided by the chats the agents online can hold at once; no history or no one online means no estimate.
/// </summary>
internal sealed class ChatQueueFacts(AtebDb db, ChatAvailabilityCheck availability, ChatAgentNames agentNames, TimeProvider clock)
{
    private const int HandleSample = 50;
    private const int HistoryLimit = 500;

    /// <summary>The conversation as the visitor sees it; <paramref name="ticketNumber"/> when the caller already has it (a send).</summary>
    public async Task<ChatConversationView> VisitorViewAsync(ChatConversation chat, CancellationToken ct, long? ticketNumber = null)
    {
        int? position = null;
        int? wait = null;
        if (chat.State is ChatState.Queued or ChatState.Offered)
        {
            position = 1 + await db.ChatConversations.CountAsync(c => (c.State == ChatState.Queued || c.State == ChatState.Offered)
                && (c.QueuedAt < chat.QueuedAt || (c.QueuedAt == chat.QueuedAt && c.Id.CompareTo(chat.Id) < 0)), ct);
            wait = await EstimateAsync(position.Value, ct);
        }
        string? agent = null;
        if (chat.AgentId is { } id && chat.State == ChatState.Active)
        {
            agent = ChatDesk.FirstName(await agentNames.NameAsync(db, id, ct));
        }
        var number = ticketNumber ?? await db.Tickets.Where(t => t.Id == chat.TicketId).Select(t => t.Number).FirstAsync(ct);
        return VisitorView(chat, number, position, wait, agent);
    }

    private static ChatConversationView VisitorView(ChatConversation chat, long number, int? position, int? wait, string? agent) =>
        new(chat.Id, number, chat.State, position, wait, agent, chat.CreatedAt, chat.EndedAt, chat.Rating, chat.AgentDeliveredUpTo, chat.AgentReadUpTo);

    /// <summary>Seconds until an agent is likely free for the visitor at <paramref name="position"/>; null without data.</summary>
    public async Task<int?> EstimateAsync(int position, CancellationToken ct) => (await EstimatorAsync(ct))(position);

    /// <summary>
    /// Every waiting visitor's view of their conversation in a few reads (their places, the tickets, one estimate), with the
    /// customer whose connections hear it: what each visitor behind a chat that left the queue is told.
    /// </summary>
    public async Task<List<(Guid Customer, ChatConversationView View)>> WaitingViewsAsync(IReadOnlyList<ChatConversation> waiting, CancellationToken ct)
    {
        if (waiting.Count == 0)
        {
            return [];
        }
        // Places among all waiting chats, in the order VisitorViewAsync counts them (time queued, then id).
        var order = await db.ChatConversations.AsNoTracking().Where(c => c.State == ChatState.Queued || c.State == ChatState.Offered)
            .Select(c => new { c.Id, c.QueuedAt }).ToListAsync(ct);
        var places = order.OrderBy(c => c.QueuedAt).ThenBy(c => c.Id).Select((c, i) => (c.Id, Place: i + 1)).ToDictionary(x => x.Id, x => x.Place);
        var ticketIds = waiting.Select(c => c.TicketId).Distinct().ToList();
        var tickets = await db.Tickets.AsNoTracking().Where(t => ticketIds.Contains(t.Id)).Select(t => new { t.Id, t.Number, t.RequesterId })
            .ToDictionaryAsync(t => t.Id, ct);
        var estimate = await EstimatorAsync(ct);
        var views = new List<(Guid, ChatConversationView)>(waiting.Count);
        foreach (var chat in waiting)
        {
            if (!places.TryGetValue(chat.Id, out var place) || !tickets.TryGetValue(chat.TicketId, out var ticket))
            {
                continue; // taken or ended meanwhile: its own change tells its visitor
            }
            views.Add((ticket.RequesterId, VisitorView(chat, ticket.Number, place, estimate(place), null)));
        }
        return views;
    }

    /// <summary>The estimate as a function of the place in the queue: the data it needs is read once.</summary>
    private async Task<Func<int, int?>> EstimatorAsync(CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-14);
        var recent = await db.ChatConversations.AsNoTracking()
            .Where(c => c.State == ChatState.Ended && c.AcceptedAt != null && c.EndedAt != null && c.EndedAt > since)
            .OrderByDescending(c => c.EndedAt).Take(HandleSample).Select(c => new { c.AcceptedAt, c.EndedAt }).ToListAsync(ct);
        if (recent.Count == 0)
        {
            return _ => null;
        }
        var handle = recent.Average(c => (c.EndedAt!.Value - c.AcceptedAt!.Value).TotalSeconds);
        var settings = await availability.SettingsAsync(ct);
        var online = (await availability.OnlineAgentsAsync(ct)).Count;
        if (online == 0)
        {
            return _ => null;
        }
        var capacity = online * Math.Max(1, settings.MaxChatsPerAgent);
        return position => (int)Math.Ceiling(position * handle / capacity);
    }

    public async Task<ChatQueueView> QueueViewAsync(CancellationToken ct)
    {
        var waiting = await db.ChatConversations.AsNoTracking().Where(c => c.State == ChatState.Queued || c.State == ChatState.Offered)
            .Select(c => c.QueuedAt).ToListAsync(ct);
        var now = clock.GetUtcNow();
        int? longest = waiting.Count == 0 ? null : (int)(now - waiting.Min()).TotalSeconds;
        return new ChatQueueView(waiting.Count, (await availability.OnlineAgentsAsync(ct)).Count, longest);
    }

    public async Task<ChatSummary[]> SummariesAsync(IReadOnlyList<ChatConversation> chats, CancellationToken ct)
    {
        if (chats.Count == 0)
        {
            return [];
        }
        var ticketIds = chats.Select(c => c.TicketId).Distinct().ToList();
        var visitorIds = chats.Select(c => c.VisitorId).Distinct().ToList();
        // The last thing the visitor wrote, cut in the database: a message can be long.
        var tickets = await db.Tickets.AsNoTracking().Where(t => ticketIds.Contains(t.Id))
            .Select(t => new
            {
                t.Id, t.Number, t.RequesterId,
                Preview = db.Messages.Where(m => m.TicketId == t.Id && m.AuthorKind == AuthorKind.Customer).OrderByDescending(m => m.CreatedAt)
                    .Select(m => m.BodyText.Substring(0, 200)).FirstOrDefault(),
            }).ToDictionaryAsync(t => t.Id, ct);
        var visitors = await db.ChatVisitors.AsNoTracking().Where(v => visitorIds.Contains(v.Id))
            .Select(v => new { v.Id, v.Name, v.Email, v.Verified }).ToDictionaryAsync(v => v.Id, ct);
        var agentIds = chats.Where(c => c.AgentId != null).Select(c => c.AgentId!.Value).Distinct().ToList();
        var agents = agentIds.Count == 0 ? [] : await db.Memberships.AsNoTracking().Where(m => agentIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Account!.DisplayName, m.Account.Email }).ToDictionaryAsync(m => m.Id, m => string.IsNullOrEmpty(m.DisplayName) ? m.Email ?? "" : m.DisplayName, ct);
        return [.. chats.Select(c =>
        {
            var visitor = visitors.GetValueOrDefault(c.VisitorId);
            var ticket = tickets[c.TicketId];
            var name = visitor?.Name ?? visitor?.Email ?? "Visitor";
            return new ChatSummary(c.Id, ticket.Number, c.State, name, visitor?.Verified ?? false, ticket.RequesterId, c.AgentId,
                c.AgentId is { } a ? agents.GetValueOrDefault(a) : null, c.TeamId, Truncate.ToLength((ticket.Preview ?? "").ReplaceLineEndings(" "), 140), c.QueuedAt, c.AcceptedAt,
                c.EndedAt, c.Rating, c.PageUrl);
        })];
    }

    public async Task<ChatOffer[]> OffersAsync(IEnumerable<ChatConversation> offered, CancellationToken ct)
    {
        var list = offered.Where(c => c.State == ChatState.Offered && c.OfferExpiresAt is not null).ToList();
        var summaries = await SummariesAsync(list, ct);
        return [.. summaries.Zip(list, (s, c) => new ChatOffer(c.Id, s.Number, s.VisitorName, s.Preview, c.QueuedAt, c.OfferExpiresAt!.Value))];
    }

    /// <summary>The chat ticket's messages after <paramref name="after"/> (exclusive), oldest first; the visitor sees public ones only.</summary>
    public async Task<ChatMessageView[]> MessagesAsync(ChatConversation chat, Guid? after, bool forAgent, CancellationToken ct)
    {
        var query = db.Messages.AsNoTracking().Include(m => m.Attachments).Where(m => m.TicketId == chat.TicketId);
        if (!forAgent)
        {
            query = query.Where(m => m.IsPublic);
        }
        if (after is { } id && await db.Messages.AsNoTracking().Where(m => m.Id == id && m.TicketId == chat.TicketId)
                .Select(m => new { m.CreatedAt }).FirstOrDefaultAsync(ct) is { } mark)
        {
            // Writers of one ticket are serialized and stamp their time inside, so (time, id) order is commit order: no gaps.
            query = query.Where(m => m.CreatedAt > mark.CreatedAt || (m.CreatedAt == mark.CreatedAt && m.Id.CompareTo(id) > 0));
        }
        var rows = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(HistoryLimit).ToListAsync(ct);
        rows.Reverse();
        return await ViewsAsync(chat, rows, forAgent, ct);
    }

    public async Task<ChatMessageView> MessageViewAsync(ChatConversation chat, Guid messageId, bool forAgent, CancellationToken ct)
    {
        var row = await db.Messages.AsNoTracking().Include(m => m.Attachments).FirstAsync(m => m.Id == messageId, ct);
        return (await ViewsAsync(chat, [row], forAgent, ct))[0];
    }

    /// <summary>One message as the agents see it and as the visitor sees it (null for a note), from one read: what a send returns and broadcasts.</summary>
    public async Task<ChatMessageViews> MessageViewsAsync(ChatConversation chat, Guid messageId, CancellationToken ct)
    {
        var row = await db.Messages.AsNoTracking().Include(m => m.Attachments).FirstAsync(m => m.Id == messageId, ct);
        return await MessageViewsAsync(chat, row, ct);
    }

    /// <summary>Both views of a message the caller holds as stored (the row a send just committed, with its attachments): no read.</summary>
    public async Task<ChatMessageViews> MessageViewsAsync(ChatConversation chat, Message row, CancellationToken ct)
    {
        var names = await NamesAsync([row], ct);
        // The time as the database keeps it (SQLite: 0.1 ms, PostgreSQL: 1 µs), so a send's answer and broadcast equal what a resync reads.
        var at = AsStored(row.CreatedAt);
        var forAgents = View(chat, row, names, forAgent: true, null) with { CreatedAt = at };
        return new ChatMessageViews(forAgents, forAgents.IsNote ? null : View(chat, row, names, forAgent: false, await VisitorSlugAsync([row], ct)) with { CreatedAt = at });
    }

    private DateTimeOffset AsStored(DateTimeOffset value)
    {
        var converter = db.Model.FindEntityType(typeof(Message))?.FindProperty(nameof(Message.CreatedAt))?.GetTypeMapping().Converter;
        if (converter is not null)
        {
            return (DateTimeOffset)converter.ConvertFromProvider(converter.ConvertToProvider(value))!;
        }
        return db.IsPostgres ? value.AddTicks(-(value.Ticks % 10)) : value;
    }

    private async Task<ChatMessageView[]> ViewsAsync(ChatConversation chat, List<Message> rows, bool forAgent, CancellationToken ct)
    {
        var names = await NamesAsync(rows, ct);
        var slug = forAgent ? null : await VisitorSlugAsync(rows, ct);
        return [.. rows.Select(m => View(chat, m, names, forAgent, slug))];
    }

    // The slug only goes into visitors' attachment links: a text line needs no read of the workspace.
    private async Task<string?> VisitorSlugAsync(List<Message> rows, CancellationToken ct) =>
        rows.Any(m => m.Attachments.Count > 0) ? await availability.SlugAsync(ct) : string.Empty;

    private static ChatMessageView View(ChatConversation chat, Message m, Dictionary<Guid, string> names, bool forAgent, string? slug) =>
        ChatViews.Message(chat.Id, m, m.AuthorAgentId is { } a && names.TryGetValue(a, out var n) ? (forAgent ? n : ChatDesk.FirstName(n)) : null, slug);

    private async Task<Dictionary<Guid, string>> NamesAsync(List<Message> rows, CancellationToken ct)
    {
        var agentIds = rows.Where(m => m.AuthorAgentId is not null).Select(m => m.AuthorAgentId!.Value).Distinct().ToList();
        if (agentIds.Count == 1)
        {
            // A send or a broadcast: one author, usually known already.
            return new() { [agentIds[0]] = await agentNames.NameAsync(db, agentIds[0], ct) };
        }
        return agentIds.Count == 0 ? [] : await db.Memberships.AsNoTracking().Where(m => agentIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Account!.DisplayName, m.Account.Email }).ToDictionaryAsync(m => m.Id, m => string.IsNullOrEmpty(m.DisplayName) ? m.Email ?? "" : m.DisplayName, ct);
    }
}

/// <summary>
/// Agents' display names as chat shows them (display name, else email), kept for <see cref="Lifetime"/>: every chat line
/// and the visitor's view of the conversation name the agent, and asking the database each time costs a query per
/// message. A renamed agent shows the new name within the lifetime. Keyed by workspace and seat, read in the caller's scope.
/// </summary>
internal sealed class ChatAgentNames(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Workspace, Guid Seat), (string Name, DateTimeOffset Until)> _names = new();

    public async Task<string> NameAsync(AtebDb db, Guid membershipId, CancellationToken ct)
    {
        var key = (db.CurrentWorkspaceId, membershipId);
        var now = clock.GetUtcNow();
        if (_names.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return hit.Name;
        }
        var seat = await db.Memberships.AsNoTracking().Where(m => m.Id == membershipId)
            .Select(m => new { m.Account!.DisplayName, m.Account.Email }).FirstOrDefaultAsync(ct);
        if (seat is null)
        {
            return ""; // not a seat of this workspace: nothing to keep
        }
        var name = string.IsNullOrEmpty(seat.DisplayName) ? seat.Email ?? "" : seat.DisplayName;
        if (_names.Count > 10_000)
        {
            _names.Clear();
        }
        _names[key] = (name, now + Lifetime);
        return name;
    }
}
