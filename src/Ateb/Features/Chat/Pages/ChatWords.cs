using Microsoft.Extensions.Localization;

namespace Ateb.Features.Chat.Pages;

/// <summary>The agent's words for chat refusals and for the system lines ChatDesk stores in English.</summary>
internal static partial class ChatWords
{
    public static string Error(IStringLocalizer l, ChatException e) => e.Code switch
    {
        "not_found" => l["This chat no longer exists."],
        "forbidden" => l["This chat is not yours to take: someone else has it, or your role does not allow it."],
        "ended" => l["The chat has ended."],
        "too_long" => l["The message is too long: at most 5,000 characters."],
        "rate_limited" => l["Too many messages at once; wait a moment."],
        _ => l["That did not work; check what you entered and try again."],
    };

    /// <summary>System lines are stored in English (the visitor's widget translates its own); the agent reads them in their language.</summary>
    public static string System(IStringLocalizer l, string text)
    {
        if (Joined().Match(text) is { Success: true } m)
        {
            return l["{0} joined the chat.", m.Groups[1].Value];
        }
        return text switch
        {
            "The chat has ended." => l["The chat has ended."],
            "The visitor ended the chat." => l["The visitor ended the chat."],
            "The agent was disconnected. We are finding someone else to help you." => l["The agent was disconnected; the chat went back to the queue."],
            _ => text,
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(.+) joined the chat\.$")]
    private static partial System.Text.RegularExpressions.Regex Joined();
}
