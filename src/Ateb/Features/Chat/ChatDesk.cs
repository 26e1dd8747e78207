using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Chat;

/// <summary>
/// The live-chat use cases, for both doors: the hubs (widget and agents' clients) and the Blazor workspace call these.
/// Every method works inside the caller's workspace scope and checks that the visitor or agent may touch the chat;
/// messages go through the one inbound pipeline (visitors) and the ticket reply handler (agents), so a chat is an
/// ordinary ticket with channel chat. Everything is stored before <see cref="ChatBroadcast"/> tells anyone.
/// </summary>
internal sealed partial class ChatDesk(AtebDb db, WorkspaceScope scope, ReceiveMessage pipeline, AddMessage replies, ChatBroadcast notify,
    ChatRouterSignal router, ChatQueueFacts queue, Infrastructure.Outbox.OutboxSignal outbox, ChatAvailabilityCheck availability, TimeProvider clock, ILogger<ChatDesk> log)
{
    // ---------------------------------------------------------------- visitors

    public async Task<VisitorSync> HelloAsync(VisitorPass pass, Guid? lastMessageId, string? language, CancellationToken ct)
    {
        var visitor = await VisitorAsync(pass, ct);
        var now = clock.GetUtcNow();
        if (now - visitor.LastSeenAt > TimeSpan.FromMinutes(1) || (language is not null && visitor.Language != language))
        {
            visitor.LastSeenAt = now;
            visitor.Language = LanguageTags.Normalize(language) ?? visitor.Language;
            await db.SaveChangesAsync(ct);
        }
        var chat = await LatestChatAsync(visitor, ct);
        var messages = chat is null ? [] : await queue.MessagesAsync(chat, lastMessageId, forAgent: false, ct);
        var view = chat is null ? null : await queue.VisitorViewAsync(chat, ct);
        return new VisitorSync(visitor.Id, visitor.Name, visitor.Verified, await availability.CheckAsync(ct), view, messages);
    }

    public async Task<ChatSendResult> VisitorSendAsync(VisitorPass pass, VisitorSendRequest request, CancellationToken ct) =>
        await VisitorPostAsync(pass, request.ClientId, request.Text, null, request.PageUrl, request.PageTitle, ct);

    /// <summary>A file from the widget becomes a visitor message of its own (with the caption, if any).</summary>
    public async Task<ChatSendResult> VisitorUploadAsync(VisitorPass pass, string clientId, AttachmentUpload file, CancellationToken ct) =>
        await VisitorPostAsync(pass, clientId, "", file, null, null, ct);

    private async Task<ChatSendResult> VisitorPostAsync(VisitorPass pass, string? clientId, string? text, AttachmentUpload? file, string? pageUrl,
        string? pageTitle, CancellationToken ct)
    {
        text = (text ?? "").Replace("\0", "", StringComparison.Ordinal).Trim();
        if (string.IsNullOrWhiteSpace(clientId) || clientId.Length > 100 || clientId.Any(char.IsControl))
        {
            throw new ChatException("invalid", "clientId: at most 100 characters, no control characters.");
        }
        if (text.Length > ChatOptions.MaxText)
        {
            throw new ChatException("too_long", $"text: at most {ChatOptions.MaxText} characters.");
        }
        if (text.Length == 0 && file is null)
        {
            throw new ChatException("invalid", "text: write something.");
        }
        return await OnOneConnectionAsync(() => VisitorStoreAsync(pass, clientId, text, file, pageUrl, pageTitle, ct), ct);
    }

    private async Task<ChatSendResult> VisitorStoreAsync(VisitorPass pass, string clientId, string text, AttachmentUpload? file, string? pageUrl,
        string? pageTitle, CancellationToken ct)
    {
        // The visitor, whether this client id was stored already, and their live chat's ticket: one read.
        scope.Enter(pass.WorkspaceId);
        var externalId = $"chat:{pass.VisitorId:N}:{clientId}";
        var facts = await db.ChatVisitors.AsNoTracking().Where(v => v.Id == pass.VisitorId)
            .Select(v => new
            {
                Visitor = v,
                Sent = db.Messages.Any(m => m.Channel == Channel.Chat && m.ExternalId == externalId),
                ActiveTicket = db.ChatConversations.Where(c => c.State != ChatState.Ended)
                    .Join(db.Tickets.Where(t => t.RequesterId == v.CustomerId), c => c.TicketId, t => t.Id, (c, t) => c)
                    .OrderByDescending(c => c.CreatedAt).Select(c => (Guid?)c.TicketId).FirstOrDefault(),
            }).FirstOrDefaultAsync(ct) ?? throw new ChatException("unauthenticated");
        var visitor = facts.Visitor;
        if (facts.Sent && await FindSentAsync(externalId, ct) is { } earlier)
        {
            return earlier;
        }
        var activeTicket = facts.ActiveTicket;
        if (activeTicket is null)
        {
            var open = await availability.CheckAsync(ct);
            if (open.State != ChatAvailability.Open)
            {
                throw new ChatException("chat_offline", open.State.ToString());
            }
        }
        var identity = visitor.Verified && visitor.ExternalUserId is { } userId
            ? new IdentityInput(IdentityKind.External, userId)
            : new IdentityInput(IdentityKind.ChatVisitor, visitor.Id.ToString("N"));
        var started = false;
        // What the transaction saw and wrote, to answer and broadcast without reading it all back.
        ChatConversation? chat = null;
        Message? stored = null;
        var number = 0L;
        var incoming = new IncomingMessage(Channel.Chat, externalId, identity, visitor.Name, null, text.Length == 0 ? file?.FileName : text, null,
            activeTicket is null ? Threading.OpenTicketOfCustomer : Threading.Ticket, activeTicket is { } ticketId ? [ticketId] : null,
            file is null ? null : [file], Language: visitor.Language)
        {
            DuplicateChecked = true, // FindSentAsync just looked
            WithinTransaction = async (context, token) =>
            {
                // One live conversation per ticket: a message into a ticket without one (a new chat, or a reopened ticket) starts it.
                // Read inside the write transaction, so its state is the one this message commits against.
                chat = await context.Db.ChatConversations.AsNoTracking().Where(c => c.TicketId == context.Ticket.Id && c.State != ChatState.Ended)
                    .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(token);
                stored = context.Message;
                number = context.Ticket.Number;
                started = false;
                if (chat is null)
                {
                    var settings = await availability.SettingsAsync(token);
                    var now = clock.GetUtcNow();
                    chat = new ChatConversation
                    {
                        TicketId = context.Ticket.Id, VisitorId = visitor.Id, TeamId = settings.TeamId, QueuedAt = now, CreatedAt = now,
                        PageUrl = Clip(pageUrl, 2000), PageTitle = Clip(pageTitle, 500),
                    };
                    context.Db.ChatConversations.Add(chat);
                    if (context.NewTicket && settings.TeamId is { } team)
                    {
                        context.Ticket.TeamId = team;
                    }
                    started = true;
                }
            },
        };
        var received = await pipeline.HandleAsync(incoming, identity.Kind == IdentityKind.External ? identity.Value.Trim() : identity.Value, ct);
        db.ChangeTracker.Clear();
        if (received.Duplicate || chat is null || stored?.Id != received.MessageId)
        {
            // Someone else stored this very message first (a concurrent retry): answer with the stored one, tell no one again.
            return await FindSentAsync(externalId, ct) ?? throw new InvalidOperationException("A received chat message is missing.");
        }
        if (started)
        {
            // A new chat (once per conversation): its row as stored, since the queue's order compares stored times.
            chat = await db.ChatConversations.AsNoTracking().FirstAsync(c => c.Id == chat.Id, ct);
        }
        var views = await queue.MessageViewsAsync(chat, stored, ct);
        var view = await queue.VisitorViewAsync(chat, ct, number);
        await notify.MessageAsync(chat, visitor.CustomerId, views);
        if (started)
        {
            router.Wake();
            await notify.ChangedAsync(chat, ct);
        }
        return new ChatSendResult(views.ForVisitor!, view);
    }

    public async Task VisitorTypingAsync(VisitorPass pass, bool typing, CancellationToken ct)
    {
        var visitor = await VisitorAsync(pass, ct);
        if (await ActiveChatAsync(visitor, ct) is { } chat)
        {
            await notify.TypingAsync(chat, visitor.CustomerId, new ChatTyping(chat.Id, ChatAuthor.Visitor, visitor.Name, typing));
        }
    }

    public async Task VisitorMarksAsync(VisitorPass pass, MarkRequest request, CancellationToken ct)
    {
        var visitor = await VisitorAsync(pass, ct);
        var chat = await LatestChatAsync(visitor, ct, tracked: true);
        if (chat is null)
        {
            return;
        }
        var delivered = await LaterAsync(chat, chat.VisitorDeliveredUpTo, request.DeliveredUpTo, fromVisitor: false, ct);
        var read = await LaterAsync(chat, chat.VisitorReadUpTo, request.ReadUpTo, fromVisitor: false, ct);
        if (delivered == chat.VisitorDeliveredUpTo && read == chat.VisitorReadUpTo)
        {
            return;
        }
        chat.VisitorDeliveredUpTo = delivered;
        chat.VisitorReadUpTo = read ?? chat.VisitorReadUpTo;
        if (await SaveQuietlyAsync(ct))
        {
            await notify.MarksAsync(chat, visitor.CustomerId, new ChatMarks(chat.Id, ChatAuthor.Visitor, chat.VisitorDeliveredUpTo, chat.VisitorReadUpTo));
        }
    }

    public async Task<ChatConversationView> VisitorEndAsync(VisitorPass pass, CancellationToken ct)
    {
        var visitor = await VisitorAsync(pass, ct);
        var chat = await ActiveChatAsync(visitor, ct) ?? throw new ChatException("ended");
        await EndChatAsync(chat.Id, ChatAuthor.Visitor, null, ct);
        var ended = await db.ChatConversations.AsNoTracking().FirstAsync(c => c.Id == chat.Id, ct);
        return await queue.VisitorViewAsync(ended, ct);
    }

    public async Task RateAsync(VisitorPass pass, RateRequest request, CancellationToken ct)
    {
        if (request.Score is < 1 or > 5)
        {
            throw new ChatException("invalid", "score: from 1 to 5.");
        }
        var visitor = await VisitorAsync(pass, ct);
        var chat = await LatestChatAsync(visitor, ct, tracked: true);
        if (chat is null)
        {
            throw ChatException.NotFound;
        }
        var comment = request.Comment?.Replace("\0", "", StringComparison.Ordinal).Trim();
        chat.Rating = request.Score;
        chat.RatingComment = string.IsNullOrEmpty(comment) ? null : Truncate.ToLength(comment, 2000);
        db.AuditEntries.Add(AuditEntry.For(null, "ticket", chat.TicketId, "rated", clock.GetUtcNow(), "rating", null, request.Score.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await db.SaveChangesAsync(ct);
        await notify.ChangedAsync(chat, ct);
    }

    /// <summary>Queues the chat's transcript to the address asked for (or the pre-chat one); once per chat every few minutes.</summary>
    public async Task TranscriptAsync(VisitorPass pass, TranscriptRequest request, CancellationToken ct)
    {
        var visitor = await VisitorAsync(pass, ct);
        var chat = await LatestChatAsync(visitor, ct, tracked: true) ?? throw ChatException.NotFound;
        var email = ChatTranscriptSender.Recipient(request.Email, visitor.Email) ?? throw new ChatException("invalid", "email: an email address, please.");
        var now = clock.GetUtcNow();
        if (chat.TranscriptSentAt is { } sent && now - sent < TimeSpan.FromMinutes(5))
        {
            throw new ChatException("rate_limited", "A transcript was sent a moment ago.");
        }
        chat.TranscriptSentAt = now;
        db.OutboxMessages.Add(ChatTranscriptSender.Job(chat.Id, email, now));
        db.AuditEntries.Add(AuditEntry.For(null, "ticket", chat.TicketId, "transcript", now));
        await db.SaveChangesAsync(ct);
        outbox.Pulse(ChatTranscriptSender.KindName);
    }

    /// <summary>A visitor's attachment, only from their own conversations.</summary>
    public async Task<Attachment?> VisitorAttachmentAsync(VisitorPass pass, Guid attachmentId, CancellationToken ct)
    {
        var visitor = await VisitorAsync(pass, ct);
        return await db.Attachments.AsNoTracking().Where(a => a.Id == attachmentId)
            .Join(db.Messages.Where(m => m.IsPublic), a => a.MessageId, m => m.Id, (a, m) => new { a, m.TicketId })
            .Join(db.Tickets.Where(t => t.RequesterId == visitor.CustomerId), x => x.TicketId, t => t.Id, (x, t) => x.a)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The pass belongs to the workspace with this slug (a token of one workspace never opens another's chat).</summary>
    public async Task<bool> IsWorkspaceAsync(VisitorPass pass, string slug, CancellationToken ct)
    {
        scope.Enter(pass.WorkspaceId);
        return await db.Workspaces.AsNoTracking().AnyAsync(w => w.Id == pass.WorkspaceId && w.Slug == slug, ct);
    }

    internal async Task<ChatVisitor> VisitorAsync(VisitorPass pass, CancellationToken ct)
    {
        scope.Enter(pass.WorkspaceId);
        return await db.ChatVisitors.FirstOrDefaultAsync(v => v.Id == pass.VisitorId, ct) ?? throw new ChatException("unauthenticated");
    }

    /// <summary>Chats of the visitor's customer (a verified person on two devices has one history).</summary>
    private IQueryable<ChatConversation> ChatsOf(ChatVisitor visitor) =>
        db.ChatConversations.Join(db.Tickets.Where(t => t.RequesterId == visitor.CustomerId), c => c.TicketId, t => t.Id, (c, t) => c);

    private async Task<ChatConversation?> ActiveChatAsync(ChatVisitor visitor, CancellationToken ct) =>
        await ChatsOf(visitor).AsNoTracking().Where(c => c.State != ChatState.Ended).OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);

    private async Task<ChatConversation?> LatestChatAsync(ChatVisitor visitor, CancellationToken ct, bool tracked = false)
    {
        var chats = ChatsOf(visitor);
        return await (tracked ? chats : chats.AsNoTracking()).OrderBy(c => c.State == ChatState.Ended).ThenByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
    }

    private async Task<ChatSendResult?> FindSentAsync(string externalId, CancellationToken ct)
    {
        var sent = await db.Messages.AsNoTracking().Where(m => m.Channel == Channel.Chat && m.ExternalId == externalId)
            .Select(m => new { m.Id, m.TicketId }).FirstOrDefaultAsync(ct);
        if (sent is null)
        {
            return null;
        }
        var chat = await db.ChatConversations.AsNoTracking().Where(c => c.TicketId == sent.TicketId).OrderByDescending(c => c.CreatedAt).FirstAsync(ct);
        return new ChatSendResult(await queue.MessageViewAsync(chat, sent.Id, forAgent: false, ct), await queue.VisitorViewAsync(chat, ct));
    }

    // ---------------------------------------------------------------- messages

    /// <summary>The later of the stored mark and the proposed one, if the proposed one is a message of this chat from the other side.</summary>
    private async Task<Guid?> LaterAsync(ChatConversation chat, Guid? current, Guid? proposed, bool fromVisitor, CancellationToken ct)
    {
        if (proposed is not { } id || id == current)
        {
            return current;
        }
        var ids = current is { } c ? new[] { id, c } : [id];
        var found = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id) && m.TicketId == chat.TicketId)
            .Select(m => new { m.Id, m.CreatedAt, m.AuthorKind }).ToListAsync(ct);
        var next = found.FirstOrDefault(m => m.Id == id);
        if (next is null || (next.AuthorKind == AuthorKind.Customer) != fromVisitor)
        {
            return current;
        }
        var now = found.FirstOrDefault(m => m.Id == current);
        return now is null || next.CreatedAt > now.CreatedAt ? id : current;
    }

    private async Task<bool> SaveQuietlyAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Marks and declines are best effort: the other writer's newer state stands.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    internal static string FirstName(string name)
    {
        var trimmed = name.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var first = space > 0 ? trimmed[..space] : trimmed;
        return first.Contains('@', StringComparison.Ordinal) ? first.Split('@')[0] : first;
    }

    /// <summary>Runs a send on one open connection: EF would otherwise open and close it around each query (on SQLite each
    /// open also sets the connection's pragmas).</summary>
    private async Task<T> OnOneConnectionAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string? Clip(string? value, int length) =>
        string.IsNullOrWhiteSpace(value) ? null : Truncate.ToLength(value.Replace("\0", "", StringComparison.Ordinal).Trim(), length);
}
