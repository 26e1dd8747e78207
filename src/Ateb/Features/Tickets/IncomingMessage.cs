using Ateb.Features.Customers;
using Ateb.Infrastructure.Data;

namespace Ateb.Features.Tickets;

public enum Threading
{
    /// <summary>Always start a new ticket.</summary>
    NewTicket,
    /// <summary>Continue the customer's most recent active ticket on this channel, else start one (chat, WhatsApp).</summary>
    OpenTicketOfCustomer,
    /// <summary>Continue the first of TicketIds that this customer takes part in, else start one (email replies).</summary>
    Ticket,
}

/// <summary>
/// What every channel adapter hands to the one inbound pipeline. The adapter stores the raw form first
/// and decides the threading rule; the pipeline decides everything else the same way for every channel.
/// </summary>
internal sealed record IncomingMessage(
    Channel Channel,
    string ExternalId,
    IdentityInput From,
    string? FromName,
    string? Subject,
    string? Text,
    string? Html,
    Threading Threading,
    IReadOnlyList<Guid>? TicketIds = null,
    IReadOnlyList<AttachmentUpload>? Attachments = null,
    DateTimeOffset? SentAt = null,
    string? Language = null)
{
    /// <summary>Attachments the adapter already put in the blob store (mail parts), in addition to Attachments.</summary>
    public IReadOnlyList<StoredBlob>? StoredAttachments { get; init; }

    /// <summary>What the channel noticed (auto-reply, DMARC failure...). Automatic mail never reopens a ticket.</summary>
    public MessageFlags Flags { get; init; }

    /// <summary>The adapter already made Html safe (Html.SanitizeReceived); the pipeline does not sanitize it again.</summary>
    public bool HtmlIsSanitized { get; init; }

    /// <summary>Where quoted history starts in Text, when the adapter knows.</summary>
    public int? FoldAt { get; init; }

    /// <summary>The adapter looked this ExternalId up itself just before (live chat does, to answer a retry with its stored
    /// view): the pipeline skips its own first look. The unique index still decides a race, and the pipeline's retry still
    /// lands on the winner's row, so a message is stored once either way.</summary>
    public bool DuplicateChecked { get; init; }

    /// <summary>Runs inside the pipeline's transaction, after the message is added and before it commits: for the rows a channel keeps beside it.</summary>
    public Func<InboundContext, CancellationToken, Task>? WithinTransaction { get; init; }
}

/// <summary>The rows the pipeline is about to commit, for a channel's WithinTransaction step.</summary>
internal sealed record InboundContext(AtebDb Db, Ticket Ticket, Message Message, Customer Customer, bool NewTicket);

public sealed record ReceivedMessage(Guid TicketId, long TicketNumber, Guid MessageId, Guid CustomerId, bool Duplicate, bool NewTicket);
