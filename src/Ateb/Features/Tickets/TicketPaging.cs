using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

/// <summary>
/// Keyset pages of tickets for each sort. The cursor is the sort key of the last ticket shown, so paging never skips or
/// repeats a ticket however many arrive meanwhile: newest "123" (the number, as before sorts existed), oldest "o.123",
/// updated "u.{UTC ticks}.123", priority "p.{rank}.123". The ticket number breaks ties. A ticket updated while someone
/// pages by "updated" moves to the front, as it should.
/// </summary>
/// <summary>The sort key of the last ticket on a page: its number, plus the update time or the priority rank when sorted by those.</summary>
internal sealed record TicketCursor(long Number, long Ticks = 0, int Rank = 0);

internal static class TicketPaging
{
    private static readonly TicketPriority[] ByUrgency = [TicketPriority.Urgent, TicketPriority.High, TicketPriority.Normal, TicketPriority.Low];

    /// <summary>False when the cursor was not made by this sort.</summary>
    public static bool TryReadCursor(TicketSort sort, string? value, out TicketCursor? cursor)
    {
        cursor = null;
        if (value is null)
        {
            return true;
        }
        var parts = value.Split('.');
        long Part(int i) => long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        TicketCursor? read = (sort, parts.Length, parts[0]) switch
        {
            (TicketSort.Newest, 1, _) => new TicketCursor(Part(0)),
            (TicketSort.Oldest, 2, "o") => new TicketCursor(Part(1)),
            (TicketSort.Updated, 3, "u") => new TicketCursor(Part(2), Ticks: Part(1)),
            (TicketSort.Priority, 3, "p") => new TicketCursor(Part(2), Rank: (int)Math.Min(Part(1), int.MaxValue)),
            _ => null,
        };
        if (read is null || read.Number < 0 || read.Ticks < 0 || read.Ticks > DateTimeOffset.MaxValue.UtcTicks || read.Rank < 0 || read.Rank >= ByUrgency.Length)
        {
            return false;
        }
        cursor = read;
        return true;
    }

    public static async Task<(List<Ticket> Shown, string? Next)> PageAsync(IQueryable<Ticket> tickets, TicketSort sort, TicketCursor? after, int take,
        CancellationToken ct)
    {
        List<Ticket> page;
        switch (sort)
        {
            case TicketSort.Oldest:
                if (after is not null) tickets = tickets.Where(t => t.Number > after.Number);
                page = await tickets.OrderBy(t => t.Number).Take(take + 1).Include(t => t.Tags).ToListAsync(ct);
                break;
            case TicketSort.Updated:
                if (after is not null)
                {
                    var at = new DateTimeOffset(after.Ticks, TimeSpan.Zero);
                    tickets = tickets.Where(t => t.UpdatedAt < at || (t.UpdatedAt == at && t.Number < after.Number));
                }
                page = await tickets.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Number).Take(take + 1).Include(t => t.Tags).ToListAsync(ct);
                break;
            case TicketSort.Priority:
                page = await ByPriorityAsync(tickets, after, take + 1, ct);
                break;
            default:
                if (after is not null) tickets = tickets.Where(t => t.Number < after.Number);
                page = await tickets.OrderByDescending(t => t.Number).Take(take + 1).Include(t => t.Tags).ToListAsync(ct);
                break;
        }
        var shown = page.Take(take).ToList();
        return (shown, page.Count > take ? Write(sort, shown[^1]) : null);
    }

    // Priority is stored as text, so ordering by it in SQL would be alphabetical. One indexed query per priority, most
    // urgent first, until the page is full: no CASE expression to sort the whole desk by.
    private static async Task<List<Ticket>> ByPriorityAsync(IQueryable<Ticket> tickets, TicketCursor? after, int wanted, CancellationToken ct)
    {
        var page = new List<Ticket>();
        for (var rank = after?.Rank ?? 0; rank < ByUrgency.Length && page.Count < wanted; rank++)
        {
            var priority = ByUrgency[rank];
            var level = tickets.Where(t => t.Priority == priority);
            if (after is not null && rank == after.Rank)
            {
                level = level.Where(t => t.Number < after.Number);
            }
            page.AddRange(await level.OrderByDescending(t => t.Number).Take(wanted - page.Count).Include(t => t.Tags).ToListAsync(ct));
        }
        return page;
    }

    private static string Write(TicketSort sort, Ticket last) => sort switch
    {
        TicketSort.Oldest => string.Create(CultureInfo.InvariantCulture, $"o.{last.Number}"),
        TicketSort.Updated => string.Create(CultureInfo.InvariantCulture, $"u.{last.UpdatedAt.UtcTicks}.{last.Number}"),
        TicketSort.Priority => string.Create(CultureInfo.InvariantCulture, $"p.{Array.IndexOf(ByUrgency, last.Priority)}.{last.Number}"),
        _ => last.Number.ToString(CultureInfo.InvariantCulture),
    };
}
