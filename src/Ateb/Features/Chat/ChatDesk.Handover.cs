using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Chat;

/// <summary>Handing a chat over (transfer to an agent or a team) and ending it, by either side.</summary>
internal sealed partial class ChatDesk
{
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
}
