using Ateb.Infrastructure.Data;

namespace Ateb.Features.Tickets;

/// <summary>A channel that delivers agents' public replies to the customer (email over SMTP, later chat, WhatsApp...).</summary>
internal interface IReplyChannel
{
    bool Handles(Ticket ticket);

    /// <summary>Adds the delivery work to the caller's unit of work, so the reply and its sending commit together.</summary>
    void Enqueue(AtebDb db, Ticket ticket, Message message, DateTimeOffset now);

    /// <summary>Called after the commit: wake the sender.</summary>
    void Committed();
}
