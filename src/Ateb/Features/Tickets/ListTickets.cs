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

/// <summary>Query string of GET /api/v1/tickets. assignee accepts an agent id, "me" or "none".</summary>
public sealed record ListTicketsQuery(string? Status, string? Assignee, Guid? Team, string? Tag, string? Q, Guid? Requester,
    string? Cursor, int? Limit, string? Priority = null, string? Channel = null);

internal sealed class ListTickets(AtebDb db, ISearchEngine engine)
{
    public async Task<Results<Ok<TicketPage>, ProblemHttpResult>> HandleAsync(ListTicketsQuery query, Actor actor, CancellationToken ct)
    {
        var check = new Check().Text("q", query.Q, 200).Text("tag", query.Tag, Limits.Tag);
        var tickets = db.Tickets.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            var wanted = ParseList<TicketStatus>(query.Status, check, "status", "new, open, pending, on_hold, solved, closed");
            tickets = tickets.Where(t => wanted.Contains(t.Status));
        }
        if (!string.IsNullOrWhiteSpace(query.Priority))
        {
            var wanted = ParseList<TicketPriority>(query.Priority, check, "priority", "low, normal, high, urgent");
            tickets = tickets.Where(t => wanted.Contains(t.Priority));
        }
        if (!string.IsNullOrWhiteSpace(query.Channel))
        {
            var wanted = ParseList<Channel>(query.Channel, check, "channel", "email, chat, phone, whats_app, messenger, instagram, telegram, web_form, api");
            tickets = tickets.Where(t => wanted.Contains(t.Channel));
        }
        switch (query.Assignee)
        {
            case null or "": break;
            case "me": tickets = tickets.Where(t => t.AssigneeId == actor.MembershipId); break;
            case "none": tickets = tickets.Where(t => t.AssigneeId == null); break;
            default:
                check.When(!Guid.TryParse(query.Assignee, out var assignee), "assignee", "must be an agent id, \"me\" or \"none\".");
                tickets = tickets.Where(t => t.AssigneeId == assignee);
                break;
        }
        if (query.Team is { } team) tickets = tickets.Where(t => t.TeamId == team);
        if (query.Requester is { } requester) tickets = tickets.Where(t => t.RequesterId == requester);
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = TicketTag.Normalize(query.Tag);
            tickets = tickets.Where(t => db.TicketTags.Any(x => x.TicketId == t.Id && x.Tag == tag));
        }
        if (!string.IsNullOrWhiteSpace(query.Q) && check.Ok)
        {
            tickets = await SearchAsync(tickets, query.Q.Trim(), actor, ct);
        }
        long? after = null;
        if (query.Cursor is not null)
        {
            check.When(!long.TryParse(query.Cursor, out var number) || number < 0, "cursor", "is not a cursor returned by this endpoint.");
            after = number;
        }
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (after is { } before) tickets = tickets.Where(t => t.Number < before);
        var take = Math.Clamp(query.Limit ?? 25, 1, 100);
        var page = await tickets.OrderByDescending(t => t.Number).Take(take + 1).Include(t => t.Tags).ToListAsync(ct);
        var shown = page.Take(take).ToList();
        var requesterIds = shown.Select(t => t.RequesterId).Distinct().ToList();
        var requesters = await db.Customers.AsNoTracking().Where(c => requesterIds.Contains(c.Id))
            .Select(TicketQueries.Summary).ToDictionaryAsync(r => r.Id, ct);
        var next = page.Count > take ? shown[^1].Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new TicketPage([.. shown.Select(t => t.ToResponse(requesters[t.RequesterId]))], next));
    }

    private static List<T> ParseList<T>(string value, Check check, string field, string allowed) where T : struct, Enum
    {
        var parsed = value.Split(',').Select(s => Enum.TryParse<T>(s.Replace("_", "", StringComparison.Ordinal), true, out var v) && !int.TryParse(s, out _) ? v : (T?)null).ToList();
        check.When(parsed.Any(p => p is null), field, $"must be a comma-separated list of {allowed}.");
        return parsed.OfType<T>().ToList();
    }

    /// <summary>Text goes through the search engine (so «نرسيده» finds «نرسیده»); the list keeps its own order and filters.</summary>
    public const int TextMatches = 1000;

    private async Task<IQueryable<Ticket>> SearchAsync(IQueryable<Ticket> tickets, string q, Actor actor, CancellationToken ct)
    {
        if (q.StartsWith('#') && long.TryParse(q[1..], out var number))
        {
            return tickets.Where(t => t.Number == number);
        }
        var terms = TextNormalizer.QueryTerms(q);
        if (terms.Count == 0)
        {
            return tickets.Where(_ => false);
        }
        var hits = await engine.SearchAsync(db, actor.WorkspaceId,
            new SearchQuery(terms, !char.IsWhiteSpace(q[^1]), [SearchKinds.Ticket, SearchKinds.Message], IncludeInternal: true, TextMatches), ct);
        var ids = hits.Select(h => h.TicketId).OfType<Guid>().Distinct().ToList();
        return tickets.Where(t => ids.Contains(t.Id));
    }
}
