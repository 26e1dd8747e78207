using System.Collections.Frozen;

namespace Ateb.Infrastructure.Search;

/// <summary>
/// Steps 1 and 5 of Porter's stemmer (plurals, -ed, -ing, final -y and -e, doubled consonants) and nothing more: small and
/// predictable. orders/ordered/ordering → order, replies/replied → repli, charge/charges/charging → charg. Stems are index
/// keys, not words. Words under four letters, words with digits and a few plurals-in-form (news, series) are left alone.
/// </summary>
internal static class EnglishStemmer
{
    private static readonly FrozenSet<string> Invariant = FrozenSet.Create(StringComparer.Ordinal,
        "news", "series", "species", "always", "perhaps", "lens", "physics", "mathematics", "politics", "economics", "ethics",
        "during", "nothing", "something", "anything", "everything", "morning", "evening", "ceiling", "wedding", "pudding");

    public static string Stem(string word)
    {
        if (word.Length < 4 || word.Length > 40 || Invariant.Contains(word) || !IsAsciiLetters(word))
        {
            return word;
        }
        Span<char> b = stackalloc char[word.Length + 1];
        word.AsSpan().CopyTo(b);
        var n = word.Length;
        n = Plural(b, n);
        n = EdIng(b, n);
        if (b[n - 1] == 'y' && HasVowel(b, n - 1))
        {
            b[n - 1] = 'i';
        }
        n = FinalE(b, n);
        return n == word.Length && b[..n].SequenceEqual(word) ? word : new string(b[..n]);
    }

    private static int Plural(Span<char> b, int n)
    {
        if (Ends(b, n, "sses") || Ends(b, n, "ies"))
        {
            return n - 2;
        }
        // status, bus, class: no plural s.
        return b[n - 1] == 's' && b[n - 2] is not ('s' or 'u') ? n - 1 : n;
    }

    private static int EdIng(Span<char> b, int n)
    {
        if (Ends(b, n, "eed"))
        {
            return Measure(b, n - 3) > 0 ? n - 1 : n;
        }
        int stem;
        if (Ends(b, n, "ed") && HasVowel(b, n - 2))
        {
            stem = n - 2;
        }
        else if (Ends(b, n, "ing") && HasVowel(b, n - 3))
        {
            stem = n - 3;
        }
        else
        {
            return n;
        }
        if (Ends(b, stem, "at") || Ends(b, stem, "bl") || Ends(b, stem, "iz"))
        {
            b[stem] = 'e';
            return stem + 1;
        }
        if (DoubleConsonant(b, stem) && b[stem - 1] is not ('l' or 's' or 'z'))
        {
            return stem - 1;
        }
        if (Measure(b, stem) == 1 && Cvc(b, stem))
        {
            b[stem] = 'e';
            return stem + 1;
        }
        return stem;
    }

    private static int FinalE(Span<char> b, int n)
    {
        if (b[n - 1] == 'e')
        {
            var m = Measure(b, n - 1);
            if (m > 1 || (m == 1 && !Cvc(b, n - 1)))
            {
                return n - 1;
            }
        }
        return Measure(b, n) > 1 && DoubleConsonant(b, n) && b[n - 1] == 'l' ? n - 1 : n;
    }

    private static bool Ends(ReadOnlySpan<char> b, int n, string suffix) => n >= suffix.Length && b[..n].EndsWith(suffix, StringComparison.Ordinal);

    private static bool IsConsonant(ReadOnlySpan<char> b, int i) => b[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        'y' => i == 0 || !IsConsonant(b, i - 1),
        _ => true,
    };

    /// <summary>Porter's m: how many vowel-consonant sequences b[..n] has.</summary>
    private static int Measure(ReadOnlySpan<char> b, int n)
    {
        var m = 0;
        var i = 0;
        while (i < n && IsConsonant(b, i))
        {
            i++;
        }
        while (i < n)
        {
            while (i < n && !IsConsonant(b, i))
            {
                i++;
            }
            if (i == n)
            {
                break;
            }
            while (i < n && IsConsonant(b, i))
            {
                i++;
            }
            m++;
        }
        return m;
    }

    private static bool HasVowel(ReadOnlySpan<char> b, int n)
    {
        for (var i = 0; i < n; i++)
        {
            if (!IsConsonant(b, i))
            {
                return true;
            }
        }
        return false;
    }

    private static bool DoubleConsonant(ReadOnlySpan<char> b, int n) => n >= 2 && b[n - 1] == b[n - 2] && IsConsonant(b, n - 1);

    /// <summary>Ends consonant-vowel-consonant, the last not w, x or y (hop, fil): such a stem keeps its final e.</summary>
    private static bool Cvc(ReadOnlySpan<char> b, int n) =>
        n >= 3 && IsConsonant(b, n - 3) && !IsConsonant(b, n - 2) && IsConsonant(b, n - 1) && b[n - 1] is not ('w' or 'x' or 'y');

    private static bool IsAsciiLetters(string word)
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
