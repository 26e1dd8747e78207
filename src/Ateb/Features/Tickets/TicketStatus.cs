namespace Ateb.Features.Tickets;

public enum TicketStatus { New, Open, Pending, OnHold, Solved, Closed }

public enum TicketPriority { Low, Normal, High, Urgent }

public enum Channel { Api, Email, Chat, Phone, WhatsApp, Messenger, Instagram, Telegram, WebForm, HelpCenter, Forum }

internal static class TicketStatuses
{
    // Closed is final: a customer writing again gets a follow-up ticket linked to the closed one.
    // New can only be left, never re-entered; solved tickets reopen to open or are closed.
    private static readonly Dictionary<TicketStatus, TicketStatus[]> Allowed = new()
    {
        [TicketStatus.New] = [TicketStatus.Open, TicketStatus.Pending, TicketStatus.OnHold, TicketStatus.Solved],
        [TicketStatus.Open] = [TicketStatus.Pending, TicketStatus.OnHold, TicketStatus.Solved],
        [TicketStatus.Pending] = [TicketStatus.Open, TicketStatus.OnHold, TicketStatus.Solved],
        [TicketStatus.OnHold] = [TicketStatus.Open, TicketStatus.Pending, TicketStatus.Solved],
        [TicketStatus.Solved] = [TicketStatus.Open, TicketStatus.Closed],
        [TicketStatus.Closed] = [],
    };

    public static bool CanMove(TicketStatus from, TicketStatus to) => from == to || Allowed[from].Contains(to);

    public static bool IsOpenForReplies(this TicketStatus status) => status is not TicketStatus.Closed;

    /// <summary>Statuses a customer's new message threads into (closed starts a follow-up).</summary>
    public static bool IsActive(this TicketStatus status) => status is not (TicketStatus.Solved or TicketStatus.Closed);

    public static string ToWire(this TicketStatus status) => status switch
    {
        TicketStatus.OnHold => "on_hold",
        _ => status.ToString().ToLowerInvariant(),
    };
}
