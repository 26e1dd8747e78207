using System.Globalization;
using System.Text;

namespace Ateb.Infrastructure.Search;

/// <summary>
/// What one character (already NFKC) becomes in a search key: lower case; Latin letters without diacritics (é→e, ŵ→w);
/// Arabic-script letters in the one canonical form both Persian and Arabic text are indexed in (see TextNormalizer);
/// Persian and Arabic-Indic digits as ASCII; harakat, tatweel, combining accents and invisible format characters dropped,
/// except the zero-width non-joiner, which the tokenizer needs. A table built once covers everything below U+2100.
/// </summary>
internal static class CharFolding
{
    public const char Zwnj = '\u200C';

    private const int TableSize = 0x2100;

    /// <summary>Marks a character that folds to nothing or to two characters (see <see cref="Longer"/>).</summary>
    private const char NotOne = '\uFFFF';

    private static readonly char[] One = new char[TableSize];

    private static readonly Dictionary<char, string> Longer = Build();

    /// <summary>Writes the folded form of <paramref name="c"/> (0 to 2 characters) into <paramref name="into"/>; returns its length.</summary>
    public static int Fold(char c, Span<char> into)
    {
        if (c < TableSize)
        {
            var one = One[c];
            if (one != NotOne)
            {
                into[0] = one;
                return 1;
            }
            var longer = Longer[c];
            longer.CopyTo(into);
            return longer.Length;
        }
        var category = char.GetUnicodeCategory(c);
        // Format characters (bidi controls, BOM) and variation selectors carry nothing to match on.
        if (category == UnicodeCategory.Format || c is >= '\uFE00' and <= '\uFE0F')
        {
            return 0;
        }
        into[0] = char.ToLowerInvariant(c);
        return 1;
    }

    private static Dictionary<char, string> Build()
    {
        var longer = new Dictionary<char, string>();
        for (var i = 0; i < TableSize; i++)
        {
            var folded = FoldOne((char)i);
            One[i] = folded.Length == 1 ? folded[0] : NotOne;
            if (folded.Length != 1)
            {
                longer[(char)i] = folded;
            }
        }
        return longer;
    }

    private static string FoldOne(char c)
    {
        if (Arabic(c) is { } arabic)
        {
            return arabic;
        }
        if (Special(c) is { } special)
        {
            return special;
        }
        if (c == Zwnj)
        {
            return c.ToString();
        }
        if (char.GetUnicodeCategory(c) == UnicodeCategory.Format || c is >= '\u0300' and <= '\u036F')
        {
            return "";
        }
        if (c is >= '\u00C0' and <= '\u024F' or >= '\u1E00' and <= '\u1EFF')
        {
            // The base letter of a decomposable Latin letter: é, ŵ, ŷ, â, ẁ.
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            if (decomposed.Length > 1 && char.IsAsciiLetter(decomposed[0]))
            {
                return char.ToLowerInvariant(decomposed[0]).ToString();
            }
        }
        return char.ToLowerInvariant(c).ToString();
    }

    /// <summary>Latin letters without a decomposition, and case-folding that lower-casing alone misses.</summary>
    private static string? Special(char c) => c switch
    {
        'ß' or 'ẞ' => "ss",
        'æ' or 'Æ' => "ae",
        'œ' or 'Œ' => "oe",
        'ø' or 'Ø' => "o",
        'ł' or 'Ł' => "l",
        'đ' or 'Đ' or 'ð' or 'Ð' => "d",
        'þ' or 'Þ' => "th",
        'ı' => "i",
        'ς' => "σ",
        _ => null,
    };

    /// <summary>
    /// Arabic-script folding. Canonical forms are the Persian letters ی (U+06CC) and ک (U+06A9), and ه for every heh-like
    /// letter, so Persian typed on an Arabic keyboard and Arabic text meet Persian text on the same keys.
    /// </summary>
    private static string? Arabic(char c) => c switch
    {
        // yeh: Arabic yeh, alef maksura, yeh barree (with hamza), yeh with hamza
        '\u064A' or '\u0649' or '\u06D2' or '\u06D3' or '\u0626' => "\u06CC",
        // kaf: Arabic kaf, swash kaf
        '\u0643' or '\u06AA' => "\u06A9",
        // heh: teh marbuta, heh with yeh above, ae, heh goal (with hamza), teh marbuta goal
        '\u0629' or '\u06C0' or '\u06D5' or '\u06C1' or '\u06C2' or '\u06C3' => "\u0647",
        // alef: with hamza above or below, with madda, wasla, with wavy hamza
        '\u0623' or '\u0625' or '\u0622' or '\u0671' or '\u0672' or '\u0673' => "\u0627",
        // waw with hamza
        '\u0624' => "\u0648",
        >= '\u0660' and <= '\u0669' => ((char)('0' + (c - '\u0660'))).ToString(),
        >= '\u06F0' and <= '\u06F9' => ((char)('0' + (c - '\u06F0'))).ToString(),
        // tatweel, high hamza, harakat and Quranic annotation marks
        '\u0640' or '\u0674' or >= '\u064B' and <= '\u065F' or '\u0670' or >= '\u0610' and <= '\u061A'
            or >= '\u06D6' and <= '\u06DC' or >= '\u06DF' and <= '\u06E4' or '\u06E7' or '\u06E8'
            or >= '\u06EA' and <= '\u06ED' or >= '\u08D3' and <= '\u08E1' or >= '\u08E3' and <= '\u08FF' => "",
        _ => null,
    };
}
