using Ateb.Features.Customers;

namespace Ateb.Features.Tickets;

public enum Threading
{
    /// <summary>Always start a new ticket.</summary>
    NewTicket,
    /// <summary>Continue the customer's most recent active ticket on this channel, else start one (chat, WhatsApp).</summary>
    OpenTicketOfCustomer,
    /// <summary>Continue TicketId when that ticket belongs to this customer, else start one (email replies).</summary>
    Ticket,
}

/// <summary>
/// What every channel adapter hands to the one inbound pipeline. The adapter stores the raw form first
/// and decides the threading rule; the pipeline decides everything else the same way for every channel.
/// </summary>
public sealed record IncomingMessage(
    Channel Channel,
    string ExternalId,
    IdentityInput From,
    string? FromName,
    string? Subject,
    string? Text,
    string? Html,
    Threading Threading,
    Guid? TicketId = null,
    IReadOnlyList<AttachmentUpload>? Attachments = null,
    DateTimeOffset? SentAt = null,
    string? Language = null);

public sealed record ReceivedMessage(Guid TicketId, long TicketNumber, Guid MessageId, Guid CustomerId, bool Duplicate, bool NewTicket);
