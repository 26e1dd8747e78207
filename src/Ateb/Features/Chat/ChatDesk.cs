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
internal sealed class ChatDesk(AtebDb db, WorkspaceScope scope, ReceiveMessage pipeline, AddMessage replies, ChatBroadcast notify,
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
        var visitor = await VisitorAsync(pass, ct);
        var externalId = $"chat:{visitor.Id:N}:{clientId}";
        if (await FindSentAsync(externalId, ct) is { } earlier)
        {
            return earlier;
        }
        var active = await ActiveChatAsync(visitor, ct);
        if (active is null)
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
            active is null ? Threading.OpenTicketOfCustomer : Threading.Ticket, active is null ? null : [active.TicketId],
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

    // ---------------------------------------------------------------- agents

    public async Task<AgentSync> AgentSyncAsync(Actor actor, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        var settings = await availability.SettingsAsync(ct);
        var status = await db.ChatAgentStatuses.AsNoTracking().FirstOrDefaultAsync(s => s.MembershipId == actor.MembershipId, ct);
        var mine = await db.ChatConversations.AsNoTracking()
            .Where(c => (c.AgentId == actor.MembershipId && c.State == ChatState.Active) || (c.OfferedToId == actor.MembershipId && c.State == ChatState.Offered))
            .ToListAsync(ct);
        var summaries = await queue.SummariesAsync(mine, ct);
        var offers = await queue.OffersAsync(mine.Where(c => c.State == ChatState.Offered), ct);
        return new AgentSync(status?.Available ?? false, settings.MaxChatsPerAgent, summaries, offers, await queue.QueueViewAsync(ct));
    }

    /// <summary>The workspace's chats for the agents' list: waiting ones and live ones, plus the most recent ended ones.</summary>
    public async Task<ChatSummary[]> ListAsync(Actor actor, int endedLimit, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        var live = await db.ChatConversations.AsNoTracking().Where(c => c.State != ChatState.Ended).OrderBy(c => c.QueuedAt).Take(500).ToListAsync(ct);
        var ended = endedLimit <= 0 ? [] : await db.ChatConversations.AsNoTracking().Where(c => c.State == ChatState.Ended)
            .OrderByDescending(c => c.EndedAt).Take(endedLimit).ToListAsync(ct);
        return await queue.SummariesAsync([.. live, .. ended], ct);
    }

    public async Task SetAvailableAsync(Actor actor, bool available, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        if (available && !actor.Role.CanWorkTickets())
        {
            throw new ChatException("forbidden", "Light agents cannot take chats.");
        }
        var status = await db.ChatAgentStatuses.FirstOrDefaultAsync(s => s.MembershipId == actor.MembershipId, ct);
        if (status is null)
        {
            status = new ChatAgentStatus { MembershipId = actor.MembershipId };
            db.ChatAgentStatuses.Add(status);
        }
        status.Available = available;
        status.UpdatedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // The agent's other tab made the row a moment ago: set it there.
            db.ChangeTracker.Clear();
            await db.ChatAgentStatuses.Where(s => s.MembershipId == actor.MembershipId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Available, available).SetProperty(s => s.UpdatedAt, clock.GetUtcNow()), ct);
        }
        router.Wake();
        await notify.AvailabilityChangedAsync(actor.WorkspaceId, ct);
    }

    public async Task<ChatDetail> AcceptAsync(Actor actor, Guid chatId, CancellationToken ct)
    {
        // A clash is either someone else taking the chat (the retry then finds it is not takeable and says so) or the
        // visitor writing at that moment (the ticket's version moved: the retry takes it).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAcceptAsync(actor, chatId, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 4)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ChatException("forbidden", "Someone else took this chat a moment ago.");
            }
        }
    }

    private async Task<ChatDetail> TryAcceptAsync(Actor actor, Guid chatId, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        if (!actor.Role.CanWorkTickets())
        {
            throw new ChatException("forbidden", "Light agents cannot take chats.");
        }
        var chat = await db.ChatConversations.FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw ChatException.NotFound;
        if (chat.State == ChatState.Active && chat.AgentId == actor.MembershipId)
        {
            return await DetailAsync(chat, null, ct);
        }
        // An offer is the offered agent's; a waiting chat anyone may pick up from the queue.
        if (!(chat.State == ChatState.Queued || (chat.State == ChatState.Offered && chat.OfferedToId == actor.MembershipId)))
        {
            throw new ChatException("forbidden", "This chat is not yours to take.");
        }
        var now = clock.GetUtcNow();
        var ticket = await db.Tickets.FirstAsync(t => t.Id == chat.TicketId, ct);
        var previousAgent = ticket.AssigneeId;
        chat.State = ChatState.Active;
        chat.AgentId = actor.MembershipId;
        chat.AcceptedAt ??= now;
        chat.OfferedToId = null;
        chat.OfferExpiresAt = null;
        chat.Version++;
        ticket.AssigneeId = actor.MembershipId;
        if (ticket.Status == TicketStatus.New)
        {
            ticket.MoveTo(TicketStatus.Open, now);
        }
        ticket.Touch(now);
        if (previousAgent != actor.MembershipId)
        {
            db.AuditEntries.Add(AuditEntry.For(actor, "ticket", ticket.Id, "updated", now, "assignee", previousAgent?.ToString(), actor.MembershipId.ToString()));
        }
        var joined = new Message
        {
            TicketId = ticket.Id, AuthorKind = AuthorKind.System, Channel = Channel.Chat, Direction = Direction.Outbound, IsPublic = true,
            BodyText = $"{FirstName(actor.Name)} joined the chat.", CreatedAt = now,
        };
        db.Messages.Add(joined);
        await db.SaveChangesAsync(ct);
        router.Wake();
        await notify.ChangedAsync(chat, ct);
        var customer = ticket.RequesterId;
        await notify.MessageAsync(chat, customer, joined.Id, ct);
        return await DetailAsync(chat, null, ct);
    }

    public async Task DeclineAsync(Actor actor, Guid chatId, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        var chat = await db.ChatConversations.FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw ChatException.NotFound;
        if (chat.State != ChatState.Offered || chat.OfferedToId != actor.MembershipId)
        {
            return;
        }
        ChatRouting.Requeue(chat, declinedBy: actor.MembershipId);
        if (await SaveQuietlyAsync(ct))
        {
            router.Wake();
            await notify.OfferWithdrawnAsync(actor.MembershipId, chat.Id, ct);
            await notify.ChangedAsync(chat, ct);
        }
    }

    public async Task<ChatDetail> OpenAsync(Actor actor, Guid chatId, Guid? after, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        var chat = await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw ChatException.NotFound;
        return await DetailAsync(chat, after, ct);
    }

    public Task<ChatMessageView> AgentSendAsync(Actor actor, Guid chatId, AgentSendRequest request, CancellationToken ct) =>
        AgentPostAsync(actor, chatId, request, null, ct);

    /// <summary>
    /// An agent's file in the chat, with the request's text as its caption (may be empty): to the visitor, who can open
    /// it from the widget (their own conversation's public messages only), or as a note. Same client id, same message.
    /// </summary>
    public Task<ChatMessageView> AgentUploadAsync(Actor actor, Guid chatId, AgentSendRequest request, AttachmentUpload file, CancellationToken ct) =>
        AgentPostAsync(actor, chatId, request, [file], ct);

    private async Task<ChatMessageView> AgentPostAsync(Actor actor, Guid chatId, AgentSendRequest request, AttachmentUpload[]? files, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        return await OnOneConnectionAsync(() => AgentStoreAsync(actor, chatId, request, files, ct), ct);
    }

    private async Task<ChatMessageView> AgentStoreAsync(Actor actor, Guid chatId, AgentSendRequest request, AttachmentUpload[]? files, CancellationToken ct)
    {
        // The chat and its customer (whose connections hear the line) in one read.
        var found = await db.ChatConversations.AsNoTracking().Where(c => c.Id == chatId)
            .Select(c => new { Chat = c, Customer = db.Tickets.Where(t => t.Id == c.TicketId).Select(t => t.RequesterId).FirstOrDefault() })
            .FirstOrDefaultAsync(ct) ?? throw ChatException.NotFound;
        var chat = found.Chat;
        var text = (request.Text ?? "").Trim();
        if (text.Length > ChatOptions.MaxText)
        {
            throw new ChatException("too_long", $"text: at most {ChatOptions.MaxText} characters.");
        }
        if (!request.IsNote && chat.State == ChatState.Ended)
        {
            throw new ChatException("ended", "The chat has ended; reply from the ticket instead.");
        }
        var body = new AddMessageRequest(text, null, !request.IsNote, null, files, request.ClientId);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = (await replies.HandleAsync(chat.TicketId, body, actor, ct)).Result;
                if (result is ProblemHttpResult problem)
                {
                    throw new ChatException(problem.StatusCode switch { 403 => "forbidden", 404 => "not_found", 409 => "ended", _ => "invalid" },
                        problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title);
                }
                var created = ((Created<MessageResponse>)result).Value!;
                db.ChangeTracker.Clear();
                // The reply handler answers with the message as stored (or, for a retried client id, as stored before): no read back.
                var views = await queue.MessageViewsAsync(chat, StoredMessage(chat.TicketId, created), ct);
                await notify.MessageAsync(chat, found.Customer, views);
                return views.ForAgents;
            }
            catch (DbUpdateException e) when (attempt < 5 && (e is DbUpdateConcurrencyException || e.IsUniqueViolation()))
            {
                // The visitor wrote at the same moment (the ticket's version moved) or this very send is being retried: go again.
                log.LogDebug("Agent chat send retry {Attempt}: {Error}", attempt, e.GetType().Name);
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The message row back from the reply handler's response (the fields a chat view shows).</summary>
    private static Message StoredMessage(Guid ticketId, MessageResponse m)
    {
        var message = new Message
        {
            Id = m.Id, TicketId = ticketId, AuthorKind = m.AuthorKind, AuthorAgentId = m.AuthorAgentId, AuthorCustomerId = m.AuthorCustomerId,
            Channel = m.Channel, Direction = m.Direction, IsPublic = m.IsPublic, BodyText = m.BodyText, BodyHtml = m.BodyHtml,
            ExternalId = m.ExternalId, CreatedAt = m.CreatedAt,
        };
        message.Attachments.AddRange(m.Attachments.Select(a => new Attachment { Id = a.Id, MessageId = m.Id, FileName = a.FileName, ContentType = a.ContentType, Size = a.Size, StorageKey = string.Empty }));
        return message;
    }

    public async Task AgentTypingAsync(Actor actor, Guid chatId, bool typing, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        var chat = await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw ChatException.NotFound;
        if (chat.State == ChatState.Active && chat.AgentId == actor.MembershipId)
        {
            var customer = await db.Tickets.Where(t => t.Id == chat.TicketId).Select(t => t.RequesterId).FirstAsync(ct);
            await notify.TypingAsync(chat, customer, new ChatTyping(chat.Id, ChatAuthor.Agent, FirstName(actor.Name), typing));
        }
    }

    public async Task AgentMarksAsync(Actor actor, Guid chatId, MarkRequest request, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        var chat = await db.ChatConversations.FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw ChatException.NotFound;
        if (chat.AgentId != actor.MembershipId)
        {
            return; // a colleague looking in does not mark the visitor's messages read
        }
        var delivered = await LaterAsync(chat, chat.AgentDeliveredUpTo, request.DeliveredUpTo, fromVisitor: true, ct);
        var read = await LaterAsync(chat, chat.AgentReadUpTo, request.ReadUpTo, fromVisitor: true, ct);
        if (delivered == chat.AgentDeliveredUpTo && read == chat.AgentReadUpTo)
        {
            return;
        }
        chat.AgentDeliveredUpTo = delivered;
        chat.AgentReadUpTo = read;
        if (await SaveQuietlyAsync(ct))
        {
            var customer = await db.Tickets.Where(t => t.Id == chat.TicketId).Select(t => t.RequesterId).FirstAsync(ct);
            await notify.MarksAsync(chat, customer, new ChatMarks(chat.Id, ChatAuthor.Agent, chat.AgentDeliveredUpTo, chat.AgentReadUpTo));
        }
    }

    public async Task<ChatSummary> TransferAsync(Actor actor, Guid chatId, TransferRequest request, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        if (!actor.Role.CanWorkTickets())
        {
            throw ChatException.Forbidden;
        }
        if ((request.AgentId is null) == (request.TeamId is null))
        {
            throw new ChatException("invalid", "Name either an agent or a team.");
        }
        var chat = await db.ChatConversations.FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw ChatException.NotFound;
        if (chat.State == ChatState.Ended)
        {
            throw new ChatException("ended");
        }
        var now = clock.GetUtcNow();
        var ticket = await db.Tickets.FirstAsync(t => t.Id == chat.TicketId, ct);
        var previous = chat.AgentId;
        if (request.AgentId is { } agentId)
        {
            var seat = await db.Memberships.AsNoTracking().FirstOrDefaultAsync(m => m.Id == agentId && m.Active, ct);
            if (seat is null || !seat.Role.CanWorkTickets())
            {
                throw new ChatException("invalid", "agentId: no such agent in this workspace.");
            }
            var settings = await availability.SettingsAsync(ct);
            chat.State = ChatState.Offered;
            chat.OfferedToId = agentId;
            chat.OfferExpiresAt = now.AddSeconds(settings.OfferSeconds);
            chat.AgentId = null;
        }
        else
        {
            if (!await db.Teams.AnyAsync(t => t.Id == request.TeamId, ct))
            {
                throw new ChatException("invalid", "teamId: no such team in this workspace.");
            }
            chat.TeamId = request.TeamId;
            ticket.TeamId = request.TeamId;
            ChatRouting.Requeue(chat, declinedBy: null);
        }
        chat.Version++;
        ticket.Touch(now);
        db.AuditEntries.Add(AuditEntry.For(actor, "ticket", ticket.Id, "transferred", now, request.AgentId is null ? "team" : "agent",
            previous?.ToString(), (request.AgentId ?? request.TeamId)!.Value.ToString()));
        if (!string.IsNullOrWhiteSpace(request.Note))
        {
            db.Messages.Add(new Message
            {
                TicketId = ticket.Id, AuthorKind = AuthorKind.Agent, AuthorAgentId = actor.MembershipId, Channel = Channel.Chat, Direction = Direction.Internal,
                IsPublic = false, BodyText = Truncate.ToLength(request.Note.Trim(), ChatOptions.MaxText), CreatedAt = now,
            });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ChatException("forbidden", "The chat changed a moment ago; look again.");
        }
        router.Wake();
        if (chat.State == ChatState.Offered)
        {
            await notify.OfferAsync(chat, ct);
        }
        await notify.ChangedAsync(chat, ct);
        return (await queue.SummariesAsync([chat], ct))[0];
    }

    public async Task<ChatSummary> EndAsync(Actor actor, Guid chatId, CancellationToken ct)
    {
        scope.Enter(actor.WorkspaceId);
        if (!actor.Role.CanWorkTickets())
        {
            throw ChatException.Forbidden;
        }
        await EndChatAsync(chatId, ChatAuthor.Agent, actor, ct);
        var chat = await db.ChatConversations.AsNoTracking().FirstAsync(c => c.Id == chatId, ct);
        return (await queue.SummariesAsync([chat], ct))[0];
    }

    /// <summary>Ends a chat: frees the agent's capacity and solves the ticket, which stays in the customer's timeline.</summary>
    private async Task EndChatAsync(Guid chatId, ChatAuthor by, Actor? actor, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var chat = await db.ChatConversations.FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw ChatException.NotFound;
            if (chat.State == ChatState.Ended)
            {
                return;
            }
            var now = clock.GetUtcNow();
            var ticket = await db.Tickets.FirstAsync(t => t.Id == chat.TicketId, ct);
            var offeredTo = chat.State == ChatState.Offered ? chat.OfferedToId : null;
            chat.State = ChatState.Ended;
            chat.EndedAt = now;
            chat.EndedBy = by;
            chat.OfferedToId = null;
            chat.OfferExpiresAt = null;
            chat.Version++;
            var before = ticket.Status;
            if (ticket.Status.IsOpenForReplies() && ticket.Status != TicketStatus.Solved && ticket.MoveTo(TicketStatus.Solved, now) is null)
            {
                db.AuditEntries.Add(AuditEntry.For(actor, "ticket", ticket.Id, "updated", now, "status", before.ToWire(), ticket.Status.ToWire()));
            }
            db.Messages.Add(new Message
            {
                TicketId = ticket.Id, AuthorKind = AuthorKind.System, Channel = Channel.Chat, Direction = Direction.Outbound, IsPublic = true,
                BodyText = by == ChatAuthor.Visitor ? "The visitor ended the chat." : "The chat has ended.", CreatedAt = now,
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                db.ChangeTracker.Clear();
                continue;
            }
            router.Wake();
            if (offeredTo is { } agent)
            {
                await notify.OfferWithdrawnAsync(agent, chat.Id, ct);
            }
            await notify.ChangedAsync(chat, ct);
            return;
        }
    }

    private async Task<ChatDetail> DetailAsync(ChatConversation chat, Guid? after, CancellationToken ct)
    {
        var summary = (await queue.SummariesAsync([chat], ct))[0];
        var messages = await queue.MessagesAsync(chat, after, forAgent: true, ct);
        return new ChatDetail(summary, messages, new ChatMarks(chat.Id, ChatAuthor.Visitor, chat.VisitorDeliveredUpTo, chat.VisitorReadUpTo));
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
