using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Tickets;

/// <summary>
/// Someone besides the requester who is part of a ticket's conversation (an address the customer copied in).
/// Only the requester and participants may continue a ticket by quoting its number or a reply's Message-ID.
/// </summary>
internal sealed class TicketParticipant : ITenantOwned
{
    public Guid TicketId { get; init; }
    public Guid CustomerId { get; init; }
    public Guid WorkspaceId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class TicketParticipantConfiguration : IEntityTypeConfiguration<TicketParticipant>
{
    public void Configure(EntityTypeBuilder<TicketParticipant> b)
    {
        b.HasKey(x => new { x.TicketId, x.CustomerId });
        b.HasIndex(x => x.CustomerId);
        b.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Customers.Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
