using Ateb.Features.Tickets;
using Microsoft.Extensions.Localization;

namespace Ateb.Components;

/// <summary>Words for the enums agents see everywhere, in the agent's language.</summary>
internal static class Labels
{
    public static string Status(this IStringLocalizer l, TicketStatus status) => l[status switch
    {
        TicketStatus.New => "New",
        TicketStatus.Open => "Open",
        TicketStatus.Pending => "Pending",
        TicketStatus.OnHold => "On hold",
        TicketStatus.Solved => "Solved",
        _ => "Closed",
    }];

    public static string Priority(this IStringLocalizer l, TicketPriority priority) => l[priority switch
    {
        TicketPriority.Low => "Low",
        TicketPriority.High => "High",
        TicketPriority.Urgent => "Urgent",
        _ => "Normal",
    }];

    public static string Role(this IStringLocalizer l, Features.Agents.Role role) => l[role switch
    {
        Features.Agents.Role.LightAgent => "Light agent",
        Features.Agents.Role.Agent => "Agent",
        Features.Agents.Role.Admin => "Admin",
        _ => "Owner",
    }];

    public static string Channel(this IStringLocalizer l, Channel channel) => l[ChannelName(channel)];

    public static string ChannelName(Channel channel) => channel switch
    {
        Features.Tickets.Channel.Email => "Email",
        Features.Tickets.Channel.Chat => "Chat",
        Features.Tickets.Channel.Phone => "Phone",
        Features.Tickets.Channel.WhatsApp => "WhatsApp",
        Features.Tickets.Channel.Messenger => "Messenger",
        Features.Tickets.Channel.Instagram => "Instagram",
        Features.Tickets.Channel.Telegram => "Telegram",
        Features.Tickets.Channel.WebForm => "Web form",
        Features.Tickets.Channel.HelpCenter => "Help center",
        _ => "API",
    };

    /// <summary>Standard view names from <see cref="Features.Views.CountViews"/>; team views carry the team's own name.</summary>
    public static string View(this IStringLocalizer l, Features.Views.ViewCount view) =>
        view.Id.StartsWith("team-", StringComparison.Ordinal) ? view.Name
        : view.Id.StartsWith("channel-", StringComparison.Ordinal) && Enum.TryParse<Channel>(view.Name, out var c) ? l.Channel(c)
        : Enum.GetValues<TicketStatus>().FirstOrDefault(s => s.ToWire() == view.Id) is var s && s.ToWire() == view.Id ? l.Status(s)
        : l[view.Name];
}
