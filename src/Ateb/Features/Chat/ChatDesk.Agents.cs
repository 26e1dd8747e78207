using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Chat;

/// <summary>The agents' side of the chat desk: sync, availability, offers, sending and marks (handing over and ending: ChatDesk.Handover.cs).</summary>
internal sealed partial class ChatDesk
{
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
            await db.WriteAsync(() => db.ChatAgentStatuses.Where(s => s.MembershipId == actor.MembershipId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Available, available).SetProperty(s => s.UpdatedAt, clock.GetUtcNow()), ct), ct);
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
            catch (DbUpdateConcurrencyException) when (attempt < 8)
            {
                db.ChangeTracker.Clear();
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
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
        var (chat, joined, customer) = await TakeAsync(actor, chatId, ct);
        if (joined is not null)
        {
            router.Wake();
            await notify.ChangedAsync(chat, ct);
            await notify.MessageAsync(chat, customer, joined.Id, ct);
        }
        return await DetailAsync(chat, null, ct);
    }

    /// <summary>
    /// The accept itself, read and written in one write transaction: on SQLite no visitor line lands between the read and the
    /// save (the write gate), so the ticket's version cannot move under it; on PostgreSQL the version check and the retry decide.
    /// No joined message when the agent holds the chat already.
    /// </summary>
    private async Task<(ChatConversation Chat, Message? Joined, Guid Customer)> TakeAsync(Actor actor, Guid chatId, CancellationToken ct)
    {
        await using var transaction = await db.BeginWriteAsync(ct);
        var chat = await db.ChatConversations.FirstOrDefaultAsync(c => c.Id == chatId, ct) ?? throw ChatException.NotFound;
        if (chat.State == ChatState.Active && chat.AgentId == actor.MembershipId)
        {
            return (chat, null, Guid.Empty);
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
        await transaction.CommitAsync(ct);
        return (chat, joined, ticket.RequesterId);
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

    private async Task<ChatDetail> DetailAsync(ChatConversation chat, Guid? after, CancellationToken ct)
    {
        var summary = (await queue.SummariesAsync([chat], ct))[0];
        var messages = await queue.MessagesAsync(chat, after, forAgent: true, ct);
        return new ChatDetail(summary, messages, new ChatMarks(chat.Id, ChatAuthor.Visitor, chat.VisitorDeliveredUpTo, chat.VisitorReadUpTo));
    }
}
