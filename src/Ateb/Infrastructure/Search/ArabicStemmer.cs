namespace Ateb.Infrastructure.Search;

/// <summary>
/// Light Arabic stemming of folded words, after Lucene's ArabicStemmer: one article-like prefix (ال, وال, بال, کال, فال, لل, و)
/// and then, in order, the suffixes ها ان ات ون ین یه ه ی. Unlike Lucene, a stem keeps at least three letters.
/// </summary>
internal static class ArabicStemmer
{
    private const int MinStem = 3;

    private static readonly string[] Prefixes = ["وال", "بال", "کال", "فال", "لل", "ال", "و"];

    private static readonly string[] Suffixes = ["ها", "ان", "ات", "ون", "ین", "یه", "ه", "ی"];

    public static string Stem(string word)
    {
        var span = word.AsSpan();
        foreach (var prefix in Prefixes)
        {
            if (span.Length - prefix.Length >= MinStem && span.StartsWith(prefix, StringComparison.Ordinal))
            {
                span = span[prefix.Length..];
                break;
            }
        }
        foreach (var suffix in Suffixes)
        {
            if (span.Length - suffix.Length >= MinStem && span.EndsWith(suffix, StringComparison.Ordinal))
            {
                span = span[..^suffix.Length];
            }
        }
        return span.Length == word.Length ? word : span.ToString();
    }
}
