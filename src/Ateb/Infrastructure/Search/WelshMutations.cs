namespace Ateb.Infrastructure.Search;

/// <summary>
/// Welsh initial consonant mutations undone: the radicals a folded word may be a mutation of. Soft (c→g, p→b, t→d, g→∅,
/// b→f, d→dd, ll→l, m→f, rh→r), nasal (c→ngh, p→mh, t→nh, g→ng, b→m, d→n), aspirate (c→ch, p→ph, t→th) and h before a
/// vowel. Spelling alone cannot tell «fara» (bara, mara) or «wasanaeth» (gwasanaeth) from a radical, so every reading is a
/// candidate and the word itself stays one too. The digraphs decide: the longest mutated start wins (ngh before ng before
/// n), and ll, rh, ff are radicals that no mutation produces.
/// </summary>
internal static class WelshMutations
{
    private static readonly (string Start, string[] Radicals)[] Rules =
    [
        ("ngh", ["c"]), ("mh", ["p"]), ("nh", ["t"]), ("ng", ["g"]),
        ("ch", ["c"]), ("ph", ["p"]), ("th", ["t"]), ("dd", ["d"]),
        ("ll", []), ("rh", []), ("ff", []),
        ("g", ["c"]), ("b", ["p"]), ("d", ["t"]), ("f", ["b", "m"]),
        ("l", ["ll", "gl"]), ("r", ["rh", "gr"]), ("m", ["b"]), ("n", ["d"]),
    ];

    /// <summary>Adds to <paramref name="into"/> the radicals <paramref name="word"/> may come from (not the word itself).</summary>
    public static void AddRadicals(string word, List<string> into)
    {
        if (word.Length < 2 || !IsLetters(word))
        {
            return;
        }
        if (word[0] == 'h' && IsVowel(word[1]))
        {
            into.Add(word[1..]);
            return;
        }
        if (IsVowel(word[0]))
        {
            // Soft mutation drops g: (g)wasanaeth, (g)ardd.
            into.Add("g" + word);
            return;
        }
        foreach (var (start, radicals) in Rules)
        {
            if (word.StartsWith(start, StringComparison.Ordinal))
            {
                foreach (var radical in radicals)
                {
                    into.Add(string.Concat(radical, word.AsSpan(start.Length)));
                }
                return;
            }
        }
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'w' or 'y';

    private static bool IsLetters(string word)
    {
        foreach (var c in word)
        {
            if (!char.IsAsciiLetterLower(c))
            {
                return false;
            }
        }
        return true;
    }
}
