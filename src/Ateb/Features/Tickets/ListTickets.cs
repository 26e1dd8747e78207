using Ateb.Features.Agents;
using Ateb.Features.Customers;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Search;
using Ateb.Features.Search;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

public sealed record TicketPage(TicketResponse[] Items, string? NextCursor);

/// <summary>Query string of GET /api/v1/tickets. assignee accepts an agent id, "me" or "none"; sort is newest, oldest, updated or priority.</summary>
public sealed record ListTicketsQuery(string? Status, string? Assignee, Guid? Team, string? Tag, string? Q, Guid? Requester,
    string? Cursor, int? Limit, string? Priority = null, string? Channel = null, string? Sort = null)
{
    public TicketFilterInput ToFilters() => new(Status, Priority, Channel, Assignee, Team, Tag, Q, Requester);
}

internal sealed class ListTickets(AtebDb db, ISearchEngine engine)
{
    public async Task<Results<Ok<TicketPage>, ProblemHttpResult>> HandleAsync(ListTicketsQuery query, Actor actor, CancellationToken ct)
    {
        var check = new Check();
        var filter = TicketFilter.Parse(query.ToFilters(), check);
        var sort = TicketFilter.ParseSort(query.Sort);
        check.When(sort is null, "sort", $"must be {TicketFilter.Sorts}.");
        TicketCursor? cursor = null;
        check.When(sort is { } s && !TicketPaging.TryReadCursor(s, query.Cursor, out cursor), "cursor", "is not a cursor returned by this endpoint for this sort.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var tickets = filter.Apply(db.Tickets.AsNoTracking(), db, actor.MembershipId);
        if (filter.Q is { } q)
        {
            tickets = await SearchAsync(tickets, q, actor, ct);
        }
        var take = Math.Clamp(query.Limit ?? 25, 1, 100);
        var (shown, next) = await TicketPaging.PageAsync(tickets, sort!.Value, cursor, take, ct);
        var requesterIds = shown.Select(t => t.RequesterId).Distinct().ToList();
        var requesters = await db.Customers.AsNoTracking().Where(c => requesterIds.Contains(c.Id))
            .Select(TicketQueries.Summary).ToDictionaryAsync(r => r.Id, ct);
        return TypedResults.Ok(new TicketPage([.. shown.Select(t => t.ToResponse(requesters[t.RequesterId]))], next));
    }

    /// <summary>Text goes through the search engine (so «نرسيده» finds «نرسیده»); the list keeps its own order and filters.</summary>
    public const int TextMatches = 1000;

    private async Task<IQueryable<Ticket>> SearchAsync(IQueryable<Ticket> tickets, string q, Actor actor, CancellationToken ct)
    {
        if (q.StartsWith('#') && long.TryParse(q[1..], out var number))
        {
            return tickets.Where(t => t.Number == number);
        }
        var parsed = TextNormalizer.ParseQuery(q);
        if (parsed.IsEmpty)
        {
            return tickets.Where(_ => false);
        }
        var hits = await engine.SearchAsync(db, actor.WorkspaceId,
            SearchQuery.From(parsed, !char.IsWhiteSpace(q[^1]), [SearchKinds.Ticket, SearchKinds.Message], includeInternal: true, TextMatches), ct);
        var ids = hits.Select(h => h.TicketId).OfType<Guid>().Distinct().ToList();
        return tickets.Where(t => ids.Contains(t.Id));
    }
}
