namespace Ateb.Infrastructure.Search;

/// <summary>
/// Light Persian stemming of folded words: one plural or possessive ending (ها، های، هایی، هایشان…), the superlative ترین,
/// the ی/یی/ای of indefiniteness, adjectives and ezafe, or a final plural ان or ات. A stem keeps at least three letters, so
/// short words survive (زبان, جوان, آنها). Endings attached with a ZWNJ need no stemming: TextNormalizer indexes the parts.
/// Not stripped, on purpose: single-letter possessives ـم ـت ـش (مردم, دولت, ارزش would lose a letter) and the comparative
/// تر (فیلتر, دفتر); verb prefixes می/نمی (میز, میانه).
/// </summary>
internal static class PersianStemmer
{
    private const int MinStem = 3;

    private static readonly string[] Plurals =
        ["هایشان", "هایتان", "هایمان", "هاشان", "هاتان", "هامان", "هایش", "هایت", "هایم", "هایی", "های", "ها"];

    /// <summary>
    /// Written without a ZWNJ, «…های» after a word ending in ه is ambiguous: plural (لرزهای ← ها + ی of لرز?) or ه + ای
    /// (لرزه‌ای). Stem takes the plural; this is the other reading, which the index and the query add as a second stem.
    /// </summary>
    public static string? OtherReading(string word) =>
        word.Length - 2 >= MinStem + 1 && word.EndsWith("های", StringComparison.Ordinal) ? word[..^2] : null;

    public static string Stem(string word)
    {
        if (word.Length <= MinStem)
        {
            return word;
        }
        foreach (var plural in Plurals)
        {
            if (Strips(word, plural))
            {
                return word[..^plural.Length];
            }
        }
        if (Strips(word, "ترین"))
        {
            return word[..^4];
        }
        if (Strips(word, "یی") || (Strips(word, "ای") && word[^3] == 'ه'))
        {
            return word[..^2];
        }
        if (Strips(word, "ی"))
        {
            return word[..^1];
        }
        if (Strips(word, "ان"))
        {
            // دانشجویان → دانشجو, آقایان → آقا: the glide ی before ان goes too.
            var stem = word[..^2];
            return stem.Length > MinStem && stem[^1] == 'ی' && stem[^2] is ('ا' or 'و') ? stem[..^1] : stem;
        }
        return Strips(word, "ات") ? word[..^2] : word;
    }

    private static bool Strips(string word, string suffix) =>
        word.Length - suffix.Length >= MinStem && word.EndsWith(suffix, StringComparison.Ordinal);
}
