using System.Text.RegularExpressions;

namespace Ateb.Infrastructure.Text;

public static partial class LanguageTags
{
    /// <summary>A BCP-47 tag, lower-cased language and upper-cased region ("pt-BR"), or null when it is not one.</summary>
    public static string? Normalize(string? tag)
    {
        if (tag is null || !Tag().IsMatch(tag.Trim()))
        {
            return null;
        }
        var parts = tag.Trim().Split('-');
        parts[0] = parts[0].ToLowerInvariant();
        for (var i = 1; i < parts.Length; i++)
        {
            parts[i] = parts[i].Length == 2 ? parts[i].ToUpperInvariant() : parts[i];
        }
        return string.Join('-', parts);
    }

    /// <summary>The primary language subtag ("fa-IR" → "fa").</summary>
    public static string Primary(string tag) => tag.Split('-')[0].ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$", RegexOptions.None, 100)]
    private static partial Regex Tag();
}
