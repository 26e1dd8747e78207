using System.Text.RegularExpressions;

namespace Ateb.Infrastructure.Text;

/// <summary>
/// Finds where quoted history or a signature begins in a plain-text message, so readers can show it folded.
/// Only ever folds; the text itself is kept whole.
/// </summary>
public static partial class QuoteFolding
{
    /// <summary>The index where the fold starts, or null when nothing is quoted (or everything is, which is not folded).</summary>
    public static int? FindFoldStart(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        try
        {
            return Find(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static int? Find(string text)
    {
        var best = int.MaxValue;
        foreach (var pattern in new[] { Attribution(), Separator(), SignatureDelimiter(), MobileSignature() })
        {
            var match = pattern.Match(text);
            while (match.Success && match.Index == 0)
            {
                match = match.NextMatch();
            }
            if (match.Success && match.Index < best)
            {
                best = match.Index;
            }
        }
        if (QuotedTail(text) is { } tail && tail < best)
        {
            best = tail;
        }
        return best == int.MaxValue || text[..best].Trim().Length == 0 ? null : best;
    }

    // "On Mon, 3 Jun 2024, Ana <a@b> wrote:" in the languages we serve and a few more; may wrap onto a second line.
    [GeneratedRegex(@"^(On\s.{1,200}?\s+wrote:|Ar\s.{1,200}?ysgrifennodd.{0,100}:|Am\s.{1,200}?schrieb.{0,100}:|Le\s.{1,200}?a\s+écrit\s*:"
        + @"|در\s.{1,200}?نوشت\s*:|في\s.{1,200}?كتب\s*:|El\s.{1,200}?escribió:|Op\s.{1,200}?schreef.{0,100}:)\s*$",
        RegexOptions.Multiline | RegexOptions.Singleline | RegexOptions.CultureInvariant, 200)]
    private static partial Regex Attribution();

    // Outlook and friends: "-----Original Message-----", a line of underscores before "From:", "Begin forwarded message:".
    [GeneratedRegex(@"^(-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Forwarded message|پیام اصلی|الرسالة الأصلية|Neges wreiddiol)\s*-{2,}|_{20,}\s*$|Begin forwarded message:)",
        RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 200)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^-- ?$", RegexOptions.Multiline, 200)]
    private static partial Regex SignatureDelimiter();

    [GeneratedRegex(@"^(Sent from my (iPhone|iPad|Android|mobile)|Get Outlook for (iOS|Android)|Sent from Mail for Windows)",
        RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 200)]
    private static partial Regex MobileSignature();

    /// <summary>Where a block of "&gt;" lines (blank lines allowed) running to the end of the message starts.</summary>
    private static int? QuotedTail(string text)
    {
        int? start = null;
        var end = text.Length;
        while (end > 0)
        {
            var lineStart = text.LastIndexOf('\n', end - 1) + 1;
            var line = text.AsSpan(lineStart, end - lineStart).Trim();
            if (line.Length > 0 && line[0] != '>')
            {
                break;
            }
            if (line.Length > 0)
            {
                start = lineStart;
            }
            end = lineStart == 0 ? 0 : lineStart - 1;
        }
        return start is > 0 ? start : null;
    }
}
