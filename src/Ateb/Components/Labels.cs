using Ateb.Features.Tickets;
using Microsoft.Extensions.Localization;

namespace Ateb.Components;

/// <summary>Words for the enums agents see everywhere, in the agent's language.</summary>
internal static class Labels
{
    public static string Status(this IStringLocalizer l, TicketStatus status) => status switch
    {
        TicketStatus.New => l["New"],
        TicketStatus.Open => l["Open"],
        TicketStatus.Pending => l["Pending"],
        TicketStatus.OnHold => l["On hold"],
        TicketStatus.Solved => l["Solved"],
        _ => l["Closed"],
    };

    public static string Priority(this IStringLocalizer l, TicketPriority priority) => priority switch
    {
        TicketPriority.Low => l["Low"],
        TicketPriority.High => l["High"],
        TicketPriority.Urgent => l["Urgent"],
        _ => l["Normal"],
    };

    public static string Role(this IStringLocalizer l, Features.Agents.Role role) => role switch
    {
        Features.Agents.Role.Owner => l["Owner"],
        Features.Agents.Role.Admin => l["Admin"],
        Features.Agents.Role.Agent => l["Agent"],
        _ => l["Light agent"],
    };

    public static string Identity(this IStringLocalizer l, Features.Customers.IdentityKind kind) => kind switch
    {
        Features.Customers.IdentityKind.Email => l["Email"],
        Features.Customers.IdentityKind.Phone => l["Phone"],
        Features.Customers.IdentityKind.ChatVisitor => l["Chat visitor"],
        Features.Customers.IdentityKind.External => l["External id"],
        _ => kind.ToString(),
    };

    public static string Channel(this IStringLocalizer l, Channel channel) => channel switch
    {
        Features.Tickets.Channel.Email => l["Email"],
        Features.Tickets.Channel.Chat => l["Chat"],
        Features.Tickets.Channel.Phone => l["Phone"],
        Features.Tickets.Channel.WhatsApp => "WhatsApp",
        Features.Tickets.Channel.Messenger => "Messenger",
        Features.Tickets.Channel.Instagram => "Instagram",
        Features.Tickets.Channel.Telegram => "Telegram",
        Features.Tickets.Channel.WebForm => l["Web form"],
        Features.Tickets.Channel.HelpCenter => l["Help center"],
        Features.Tickets.Channel.Forum => l["Forum"],
        _ => "API",
    };

    /// <summary>Standard view names from <see cref="Features.Views.CountViews"/>; team views carry the team's own name.</summary>
    public static string View(this IStringLocalizer l, Features.Views.ViewCount view) =>
        view.Id.StartsWith("team-", StringComparison.Ordinal) ? view.Name
        : view.Id.StartsWith("channel-", StringComparison.Ordinal) && Enum.TryParse<Channel>(view.Name, out var c) ? l.Channel(c)
        : Enum.GetValues<TicketStatus>().FirstOrDefault(s => s.ToWire() == view.Id) is var s && s.ToWire() == view.Id ? l.Status(s)
        : view.Id switch
        {
            "mine" => l["Your unsolved tickets"],
            "unassigned" => l["Unassigned tickets"],
            "unsolved" => l["All unsolved tickets"],
            "urgent" => l["Urgent and high priority"],
            "solved" => l["Solved tickets"],
            _ => view.Name,
        };
}
