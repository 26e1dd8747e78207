using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Views;

/// <summary>A standard inbox view: its id doubles as the query string for GET /api/v1/tickets.</summary>
public sealed record ViewCount(string Id, string Name, string Query, long Count);

/// <summary>
/// The standard views and their counts. All counts come from one grouped scan of the unsolved tickets (a covering
/// index keeps it to the index) plus one range count of solved tickets, instead of one COUNT per view.
/// </summary>
internal sealed class CountViews(AtebDb db)
{
    private static readonly TicketStatus[] Unsolved = [TicketStatus.New, TicketStatus.Open, TicketStatus.Pending, TicketStatus.OnHold];
    private static readonly Channel[] Channels = [Channel.Email, Channel.Chat, Channel.WhatsApp, Channel.Phone, Channel.WebForm, Channel.Api];

    public async Task<ViewCount[]> HandleAsync(Actor actor, CancellationToken ct)
    {
        var me = actor.MembershipId;
        var groups = await db.Tickets.AsNoTracking()
            .Where(t => Unsolved.Contains(t.Status))
            // The grouping follows IX_Tickets_ViewCounts column for column, so the database streams it off the index.
            .GroupBy(t => new { t.Status, t.Priority, t.Channel, t.TeamId, t.AssigneeId })
            .Select(g => new { g.Key, Count = g.LongCount() })
            .ToListAsync(ct);
        var solved = await db.Tickets.AsNoTracking().LongCountAsync(t => t.Status == TicketStatus.Solved, ct);
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).Take(5).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        const string unsolved = "status=new,open,pending,on_hold";
        var views = new List<ViewCount>
        {
            new("mine", "Your unsolved tickets", unsolved + "&assignee=me", groups.Where(g => g.Key.AssigneeId == me).Sum(g => g.Count)),
            new("unassigned", "Unassigned tickets", unsolved + "&assignee=none", groups.Where(g => g.Key.AssigneeId == null).Sum(g => g.Count)),
            new("unsolved", "All unsolved tickets", unsolved, groups.Sum(g => g.Count)),
        };
        views.AddRange(Unsolved.Select(s => new ViewCount(s.ToWire(), s.ToWire(), "status=" + s.ToWire(), groups.Where(g => g.Key.Status == s).Sum(g => g.Count))));
        views.Add(new("urgent", "Urgent and high priority", unsolved + "&priority=urgent,high",
            groups.Where(g => g.Key.Priority is TicketPriority.Urgent or TicketPriority.High).Sum(g => g.Count)));
        views.AddRange(Channels.Select(c => new ViewCount("channel-" + Wire(c), c.ToString(),
            unsolved + "&channel=" + Wire(c), groups.Where(g => g.Key.Channel == c).Sum(g => g.Count))));
        views.AddRange(teams.Select(t => new ViewCount("team-" + t.Id, t.Name, unsolved + "&team=" + t.Id, groups.Where(g => g.Key.TeamId == t.Id).Sum(g => g.Count))));
        views.Add(new("solved", "Solved tickets", "status=solved", solved));
        return [.. views];
    }

    private static string Wire(Channel channel) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(channel.ToString());
}

internal static class ViewsFeature
{
    public static IServiceCollection AddViews(this IServiceCollection services) => services.AddScoped<CountViews>();

    public static void MapViews(this IEndpointRouteBuilder api) =>
        api.MapGroup("/views").WithTags("Views").RequireAuthorization(Policies.Member)
            .MapGet("/", (CountViews handler, Actor actor, CancellationToken ct) => handler.HandleAsync(actor, ct));
}
