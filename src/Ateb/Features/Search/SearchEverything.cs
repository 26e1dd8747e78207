using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Search;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Search;

public sealed record SearchTicketResult(Guid Id, long Number, string Subject, TicketStatus Status, DateTimeOffset UpdatedAt, string Snippet);

public sealed record SearchCustomerResult(Guid Id, string Name, string Snippet);

/// <summary>Snippets are HTML-escaped text with the matched words in &lt;mark&gt;.</summary>
public sealed record SearchResponse(string Query, SearchTicketResult[] Tickets, SearchCustomerResult[] Customers);

/// <summary>
/// GET /api/v1/search?q=: tickets (by subject or any message) and customers, best first, with the matched words marked in
/// a snippet of the original text. "Quoted words" must appear together and in that order. Works as you type: the last word matches as a prefix unless the query ends in a space.
/// </summary>
internal sealed class SearchEverything(AtebDb db, ISearchEngine engine)
{
    public async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> HandleAsync(string? q, int? limit, Actor actor, CancellationToken ct)
    {
        var check = new Check().Text("q", q, 200, required: true).When(limit is < 1 or > 50, "limit", "must be between 1 and 50.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var parsed = TextNormalizer.ParseQuery(q!);
        if (parsed.IsEmpty)
        {
            return TypedResults.Ok(new SearchResponse(q!, [], []));
        }
        var take = limit ?? 20;
        var query = SearchQuery.From(parsed, !char.IsWhiteSpace(q![^1]), [SearchKinds.Ticket, SearchKinds.Message, SearchKinds.Customer],
            includeInternal: true, take * 4);
        var hits = await engine.SearchAsync(db, actor.WorkspaceId, query, ct);
        var highlighter = new Highlighter(parsed.Highlight, query.LastIsPrefix);
        return TypedResults.Ok(new SearchResponse(q, await TicketsAsync(hits, take, highlighter, ct), await CustomersAsync(hits, take, highlighter, ct)));
    }

    private async Task<SearchTicketResult[]> TicketsAsync(IReadOnlyList<SearchHit> hits, int take, Highlighter highlighter, CancellationToken ct)
    {
        var ids = hits.Where(h => h.TicketId is not null).Select(h => h.TicketId!.Value).Distinct().Take(take).ToList();
        // The best message of each ticket shown (not of every ticket hit): its text is the snippet.
        var shown = ids.ToHashSet();
        var bestMessage = hits.Where(h => h.Kind == SearchKinds.Message && shown.Contains(h.TicketId!.Value))
            .GroupBy(h => h.TicketId!.Value).ToDictionary(g => g.Key, g => g.First().EntityId);
        var tickets = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var messageIds = bestMessage.Values.ToList();
        var bodies = await db.Messages.AsNoTracking().Where(m => messageIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.BodyText, ct);
        return [.. ids.Where(tickets.ContainsKey).Select(id =>
        {
            var t = tickets[id];
            var text = bestMessage.TryGetValue(id, out var m) && bodies.TryGetValue(m, out var body) ? body : t.Subject;
            return new SearchTicketResult(t.Id, t.Number, t.Subject, t.Status, t.UpdatedAt, highlighter.Snippet(text));
        })];
    }

    private async Task<SearchCustomerResult[]> CustomersAsync(IReadOnlyList<SearchHit> hits, int take, Highlighter highlighter, CancellationToken ct)
    {
        var ids = hits.Where(h => h.Kind == SearchKinds.Customer).Select(h => h.EntityId).Take(take).ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, Identities = c.Identities.Select(i => i.Value).ToList() }).ToDictionaryAsync(c => c.Id, ct);
        return [.. ids.Where(customers.ContainsKey).Select(id =>
        {
            var c = customers[id];
            return new SearchCustomerResult(c.Id, c.Name, highlighter.Snippet(c.Name + " · " + string.Join(", ", c.Identities)));
        })];
    }
}
