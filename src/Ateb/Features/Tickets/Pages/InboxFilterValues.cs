using Microsoft.Extensions.Primitives;

namespace Ateb.Features.Tickets.Pages;

/// <summary>The inbox's filters: the same parameters as GET /api/v1/tickets, so a view, an address and an API call mean one thing.</summary>
public sealed class InboxFilterValues
{
    public string? Status { get; set; }
    public string? Assignee { get; set; }
    public string? Team { get; set; }
    public string? Tag { get; set; }
    public string? Priority { get; set; }
    public string? Channel { get; set; }
    public string? Q { get; set; }
    public string? Sort { get; set; }

    public static InboxFilterValues Parse(IDictionary<string, StringValues> query)
    {
        string? Get(string key) => query.TryGetValue(key, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;
        return new()
        {
            Status = Get("status"), Assignee = Get("assignee"), Team = Get("team"), Tag = Get("tag"),
            Priority = Get("priority"), Channel = Get("channel"), Q = Get("q"), Sort = Get("sort"),
        };
    }

    public ListTicketsQuery ToQuery(string? cursor) =>
        new(Status, Assignee, Guid.TryParse(Team, out var team) ? team : null, Tag, Q, null, cursor, 25, Priority, Channel, Sort);

    public TicketFilterInput ToFilters() => ToQuery(null).ToFilters();

    public static InboxFilterValues From(TicketFilterInput f, TicketSort sort) => new()
    {
        Status = f.Status, Priority = f.Priority, Channel = f.Channel, Assignee = f.Assignee, Team = f.Team?.ToString(), Tag = f.Tag, Q = f.Q,
        Sort = sort == TicketSort.Newest ? null : sort.ToString().ToLowerInvariant(),
    };

    public string ToUrl()
    {
        var parts = new (string Key, string? Value)[]
        {
            ("status", Status), ("assignee", Assignee), ("team", Team), ("tag", Tag), ("priority", Priority), ("channel", Channel), ("q", Q), ("sort", Sort),
        };
        var query = string.Join("&", parts.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
        return query.Length == 0 ? "/?view=unsolved" : "/?" + query;
    }

    public InboxFilterValues Copy() => (InboxFilterValues)MemberwiseClone();
}
