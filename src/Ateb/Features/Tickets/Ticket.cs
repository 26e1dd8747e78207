using Ateb.Infrastructure.Data;

namespace Ateb.Features.Tickets;

/// <summary>A conversation with a customer: its messages from every channel, its state and the KPI timestamps.</summary>
internal sealed class Ticket : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public long Number { get; init; }
    public required string Subject { get; set; }
    public TicketStatus Status { get; private set; } = TicketStatus.New;
    public TicketPriority Priority { get; set; } = TicketPriority.Normal;
    public Channel Channel { get; init; }
    public Guid RequesterId { get; set; }
    public Guid? AssigneeId { get; set; }
    public Guid? TeamId { get; set; }
    public string CustomFields { get; set; } = "{}";
    public Guid? MergedIntoId { get; private set; }
    /// <summary>The mailbox an email ticket came in through and replies leave from; null for other channels.</summary>
    public Guid? MailboxId { get; set; }
    /// <summary>
    /// Set while this is the one ticket a channel threads a customer's messages into ("chat:{customer}"); unique per
    /// workspace, so two messages arriving together cannot both open a ticket. Cleared when solved or closed.
    /// </summary>
    public string? ThreadKey { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? FirstAgentReplyAt { get; private set; }
    public DateTimeOffset? SolvedAt { get; private set; }
    public DateTimeOffset? ReopenedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public int ReopenCount { get; private set; }
    /// <summary>Concurrency token and ETag: bumped on every change.</summary>
    public long Version { get; private set; } = 1;
    public List<TicketTag> Tags { get; init; } = [];

    public void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }

    /// <summary>Returns an error when the move is not allowed; otherwise moves and stamps the KPI times.</summary>
    public string? MoveTo(TicketStatus to, DateTimeOffset now)
    {
        if (to == Status)
        {
            return null;
        }
        if (!TicketStatuses.CanMove(Status, to))
        {
            return $"A {Status.ToWire()} ticket cannot become {to.ToWire()}.";
        }
        if (Status == TicketStatus.Solved && to != TicketStatus.Closed)
        {
            ReopenedAt = now;
            ReopenCount++;
            SolvedAt = null;
        }
        Status = to;
        if (to is TicketStatus.Solved or TicketStatus.Closed)
        {
            ThreadKey = null;
        }
        if (to == TicketStatus.Solved)
        {
            SolvedAt = now;
        }
        if (to == TicketStatus.Closed)
        {
            ClosedAt = now;
        }
        Touch(now);
        return null;
    }

    public void RecordPublicAgentReply(DateTimeOffset now)
    {
        FirstAgentReplyAt ??= now;
        if (Status == TicketStatus.New)
        {
            MoveTo(TicketStatus.Open, now);
        }
        Touch(now);
    }

    /// <summary>A customer wrote: waiting and solved tickets come back to the agents.</summary>
    public void RecordCustomerMessage(DateTimeOffset now)
    {
        if (Status is TicketStatus.Pending or TicketStatus.Solved)
        {
            MoveTo(TicketStatus.Open, now);
        }
        Touch(now);
    }

    /// <summary>Merging closes the source whatever its status: the conversation lives on in the target.</summary>
    public void MergeInto(Ticket target, DateTimeOffset now)
    {
        MergedIntoId = target.Id;
        Status = TicketStatus.Closed;
        ThreadKey = null;
        ClosedAt = now;
        Touch(now);
    }
}
