using Ateb.Features.Tickets;

namespace Ateb.Tests.Features.Tickets;

[Trait("Db", "none")]
public sealed class TicketStatusTests
{
    [Theory]
    [InlineData(TicketStatus.New, TicketStatus.Open, true)]
    [InlineData(TicketStatus.New, TicketStatus.Solved, true)]
    [InlineData(TicketStatus.New, TicketStatus.Closed, false)]
    [InlineData(TicketStatus.Open, TicketStatus.New, false)]
    [InlineData(TicketStatus.Open, TicketStatus.Pending, true)]
    [InlineData(TicketStatus.Open, TicketStatus.Closed, false)]
    [InlineData(TicketStatus.Pending, TicketStatus.OnHold, true)]
    [InlineData(TicketStatus.OnHold, TicketStatus.Open, true)]
    [InlineData(TicketStatus.Solved, TicketStatus.Open, true)]
    [InlineData(TicketStatus.Solved, TicketStatus.Closed, true)]
    [InlineData(TicketStatus.Solved, TicketStatus.Pending, false)]
    [InlineData(TicketStatus.Closed, TicketStatus.Open, false)]
    [InlineData(TicketStatus.Closed, TicketStatus.Closed, true)]
    public void Transitions_follow_the_table(TicketStatus from, TicketStatus to, bool allowed) =>
        Assert.Equal(allowed, TicketStatuses.CanMove(from, to));

    [Fact]
    public void Solving_stamps_solved_and_reopening_counts_and_clears_it()
    {
        var t0 = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var ticket = new Ticket { Subject = "s", CreatedAt = t0 };
        Assert.Null(ticket.MoveTo(TicketStatus.Solved, t0.AddHours(1)));
        Assert.Equal(t0.AddHours(1), ticket.SolvedAt);
        ticket.RecordCustomerMessage(t0.AddHours(2));
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Equal(t0.AddHours(2), ticket.ReopenedAt);
        Assert.Equal(1, ticket.ReopenCount);
        Assert.Null(ticket.SolvedAt);
    }

    [Fact]
    public void The_first_public_reply_is_stamped_once_and_opens_a_new_ticket()
    {
        var t0 = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var ticket = new Ticket { Subject = "s", CreatedAt = t0 };
        ticket.RecordPublicAgentReply(t0.AddMinutes(5));
        ticket.RecordPublicAgentReply(t0.AddMinutes(9));
        Assert.Equal(t0.AddMinutes(5), ticket.FirstAgentReplyAt);
        Assert.Equal(TicketStatus.Open, ticket.Status);
    }

    [Fact]
    public void A_customer_message_on_hold_stays_on_hold()
    {
        var ticket = new Ticket { Subject = "s" };
        ticket.MoveTo(TicketStatus.OnHold, DateTimeOffset.UnixEpoch);
        ticket.RecordCustomerMessage(DateTimeOffset.UnixEpoch.AddDays(1));
        Assert.Equal(TicketStatus.OnHold, ticket.Status);
    }
}
