using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Ateb.Infrastructure.Search;

namespace Ateb.Features.Search;

/// <summary>
/// Marks the words of an original text that the query matched: each word is normalized the way the index normalized it,
/// so «می‌شود» is marked for «میشود» and «nghwsmeriaid» for «cwsmeriaid». Output is HTML-escaped, marks are &lt;mark&gt;.
/// </summary>
internal sealed partial class Highlighter(IReadOnlyList<IReadOnlyList<string>> terms, bool lastIsPrefix)
{
    private const int Window = 160;
    private readonly HashSet<string> _exact = [.. terms.SelectMany(t => t)];
    private readonly string[] _prefixes = lastIsPrefix && terms.Count > 0 ? [.. terms[^1]] : [];

    public string Snippet(string text)
    {
        // Normalizing a word is the costly part: only the words up to the first hit, then those inside the window, are.
        var words = Word().Matches(text);
        var first = words.FirstOrDefault(m => IsHit(m.Value));
        var start = first is null ? 0 : Math.Max(0, first.Index - Window / 3);
        var end = Math.Min(text.Length, start + Window);
        var builder = new StringBuilder();
        if (start > 0)
        {
            builder.Append('…');
        }
        var at = start;
        foreach (var word in words.TakeWhile(w => w.Index < end).Where(w => w.Index >= start && w.Index + w.Length <= end && IsHit(w.Value)))
        {
            builder.Append(WebUtility.HtmlEncode(text[at..word.Index])).Append("<mark>").Append(WebUtility.HtmlEncode(word.Value)).Append("</mark>");
            at = word.Index + word.Length;
        }
        builder.Append(WebUtility.HtmlEncode(text[at..end]));
        if (end < text.Length)
        {
            builder.Append('…');
        }
        return builder.ToString().ReplaceLineEndings(" ");
    }

    private bool IsHit(string word)
    {
        foreach (var token in TextNormalizer.IndexTokens(word))
        {
            if (_exact.Contains(token) || _prefixes.Any(p => token.StartsWith(p, StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    [GeneratedRegex(@"[\p{L}\p{M}\p{Nd}\u200C]+", RegexOptions.None, 200)]
    private static partial Regex Word();
}
