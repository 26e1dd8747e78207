using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;

namespace Ateb.Features.Tickets;

/// <summary>
/// The filters of GET /api/v1/tickets, also what a saved view stores. Lists are comma-separated (status=new,open);
/// assignee is an agent id, "me" or "none".
/// </summary>
public sealed record TicketFilterInput(
    string? Status = null, string? Priority = null, string? Channel = null, string? Assignee = null, Guid? Team = null, string? Tag = null,
    string? Q = null, Guid? Requester = null);

/// <summary>newest (default) and oldest by number; updated: most recently updated first; priority: urgent first, then newest.</summary>
public enum TicketSort { Newest, Oldest, Updated, Priority }

/// <summary>Validated filters, applied in SQL; text (q) goes through the search engine in ListTickets.</summary>
internal sealed class TicketFilter
{
    public const int MaxQ = 200;

    public List<TicketStatus>? Statuses { get; private init; }
    public List<TicketPriority>? Priorities { get; private init; }
    public List<Channel>? Channels { get; private init; }
    public string? Assignee { get; private init; }
    public Guid? AssigneeId { get; private init; }
    public Guid? Team { get; private init; }
    public string? Tag { get; private init; }
    public string? Q { get; private init; }
    public Guid? Requester { get; private init; }

    /// <param name="prefix">Put before field names in errors ("filters." for a saved view).</param>
    public static TicketFilter Parse(TicketFilterInput input, Check check, string prefix = "")
    {
        check.Text(prefix + "q", input.Q, MaxQ).Text(prefix + "tag", input.Tag, Limits.Tag);
        Guid assigneeId = default;
        check.When(input.Assignee is { Length: > 0 } a && a is not ("me" or "none") && !Guid.TryParse(a, out assigneeId),
            prefix + "assignee", "must be an agent id, \"me\" or \"none\".");
        return new TicketFilter
        {
            Statuses = ParseList<TicketStatus>(input.Status, check, prefix + "status", "new, open, pending, on_hold, solved, closed"),
            Priorities = ParseList<TicketPriority>(input.Priority, check, prefix + "priority", "low, normal, high, urgent"),
            Channels = ParseList<Channel>(input.Channel, check, prefix + "channel",
                "email, chat, phone, whats_app, messenger, instagram, telegram, web_form, api"),
            Assignee = string.IsNullOrEmpty(input.Assignee) ? null : input.Assignee,
            AssigneeId = assigneeId == default ? null : assigneeId,
            Team = input.Team,
            Tag = string.IsNullOrWhiteSpace(input.Tag) ? null : TicketTag.Normalize(input.Tag),
            Q = string.IsNullOrWhiteSpace(input.Q) ? null : input.Q.Trim(),
            Requester = input.Requester,
        };
    }

    /// <summary>Everything but q.</summary>
    public IQueryable<Ticket> Apply(IQueryable<Ticket> tickets, AtebDb db, Guid me)
    {
        if (Statuses is { } statuses) tickets = tickets.Where(t => statuses.Contains(t.Status));
        if (Priorities is { } priorities) tickets = tickets.Where(t => priorities.Contains(t.Priority));
        if (Channels is { } channels) tickets = tickets.Where(t => channels.Contains(t.Channel));
        tickets = Assignee switch
        {
            null => tickets,
            "me" => tickets.Where(t => t.AssigneeId == me),
            "none" => tickets.Where(t => t.AssigneeId == null),
            _ => tickets.Where(t => t.AssigneeId == AssigneeId),
        };
        if (Team is { } team) tickets = tickets.Where(t => t.TeamId == team);
        if (Requester is { } requester) tickets = tickets.Where(t => t.RequesterId == requester);
        if (Tag is { } tag) tickets = tickets.Where(t => db.TicketTags.Any(x => x.TicketId == t.Id && x.Tag == tag));
        return tickets;
    }

    public static TicketSort? ParseSort(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "newest" => TicketSort.Newest,
        "oldest" => TicketSort.Oldest,
        "updated" => TicketSort.Updated,
        "priority" => TicketSort.Priority,
        _ => null,
    };

    public const string Sorts = "newest, oldest, updated or priority";

    private static List<T>? ParseList<T>(string? value, Check check, string field, string allowed) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var parsed = value.Split(',').Select(s => Enum.TryParse<T>(s.Replace("_", "", StringComparison.Ordinal), true, out var v) && !int.TryParse(s, out _) ? v : (T?)null).ToList();
        check.When(parsed.Any(p => p is null), field, $"must be a comma-separated list of {allowed}.");
        return parsed.OfType<T>().ToList();
    }
}
