using System.Text.RegularExpressions;

namespace Ateb.Features.Chat.Pages;

/// <summary>One piece of a chat message: plain text, or a web address to show as a link (both rendered escaped).</summary>
public sealed record ChatTextPart(string Text, string? Href);

/// <summary>
/// Chat text is plain text. The workspace renders it escaped (Razor does) and makes web addresses clickable by cutting
/// the text into parts, never by building HTML: only http(s) and www. addresses become links, so a "javascript:" text
/// stays text.
/// </summary>
public static partial class ChatText
{
    public static IReadOnlyList<ChatTextPart> Parts(string? text)
    {
        var parts = new List<ChatTextPart>();
        if (string.IsNullOrEmpty(text))
        {
            return parts;
        }
        var at = 0;
        foreach (Match m in Address().Matches(text))
        {
            var url = Trim(m.Value);
            if (url.Length < 5)
            {
                continue;
            }
            if (m.Index > at)
            {
                parts.Add(new(text[at..m.Index], null));
            }
            var href = url.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? "https://" + url : url;
            parts.Add(new(url, href));
            at = m.Index + url.Length;
        }
        if (at < text.Length)
        {
            parts.Add(new(text[at..], null));
        }
        return parts;
    }

    /// <summary>Punctuation that ends a sentence is not part of the address; a closing bracket is, when it closes one inside it.</summary>
    private static string Trim(string url)
    {
        while (url.Length > 0)
        {
            var last = url[^1];
            if (".,;:!?'\"»”’、。،؛؟".Contains(last, StringComparison.Ordinal))
            {
                url = url[..^1];
            }
            else if (last == ')' && url.Count(c => c == '(') < url.Count(c => c == ')'))
            {
                url = url[..^1];
            }
            else
            {
                break;
            }
        }
        return url;
    }

    [GeneratedRegex(@"(?<![\w@/])(?:https?://|www\.)[^\s<>""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
