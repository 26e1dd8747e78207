using System.Collections.Frozen;

namespace Ateb.Infrastructure.Search;

internal enum Lang : byte
{
    English,
    Welsh,
    Persian,
    Arabic,
}

/// <summary>
/// The language of each script in a text: Persian or Arabic for Arabic-script words, Welsh or English for Latin-script ones.
/// A given language settles its own script; the other is detected. When the Latin language is detected and the text has
/// clear Welsh and clear English (a bilingual mail), each line is decided on its own.
/// </summary>
internal sealed class Languages
{
    private readonly Lang[]? _latinByLine;

    private Languages(Lang arabic, Lang latin, Lang[]? latinByLine)
    {
        Arabic = arabic;
        Latin = latin;
        _latinByLine = latinByLine;
    }

    public Lang Arabic { get; }

    public Lang Latin { get; }

    public Lang For(in Word word) => word.Script == Script.Arabic ? Arabic
        : _latinByLine is not null && word.Line < _latinByLine.Length ? _latinByLine[word.Line] : Latin;

    public static Languages Resolve(string? tag, List<Word> words)
    {
        var given = Parse(tag);
        var latinGiven = given is Lang.English or Lang.Welsh;
        var evidence = LanguageDetection.Evidence(words, latinGiven ? null : new int[words.Count == 0 ? 1 : words[^1].Line + 1]);
        var arabic = given is Lang.Persian or Lang.Arabic ? given.Value : evidence.ArabicScript;
        if (latinGiven)
        {
            return new Languages(arabic, given!.Value, null);
        }
        var latin = evidence.LatinScript;
        return new Languages(arabic, latin, evidence.Bilingual ? [.. evidence.LineBalance!.Select(b => b > 0 ? Lang.Welsh : b < 0 ? Lang.English : latin)] : null);
    }

    /// <summary>The primary subtag of a BCP-47 tag (fa-IR → fa); ISO 639-2 codes too. Anything else: detect.</summary>
    private static Lang? Parse(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }
        var end = tag.AsSpan().IndexOfAny('-', '_');
        var primary = (end < 0 ? tag : tag[..end]).Trim().ToLowerInvariant();
        return primary switch
        {
            "fa" or "fas" or "per" => Lang.Persian,
            "ar" or "ara" => Lang.Arabic,
            "cy" or "cym" or "wel" => Lang.Welsh,
            "en" or "eng" => Lang.English,
            _ => null,
        };
    }
}

/// <summary>Scores from frequent words and spelling: letters only one language uses, typical starts and endings.</summary>
internal static class LanguageDetection
{
    private static readonly FrozenSet<string> PersianWords = Folded(
        "است این را که از به با برای می های ها شود کند یک آن هم تا اما ولی نیز بود کرد دارد خواهد همه چه شده باشد شما");

    private static readonly FrozenSet<string> ArabicWords = Folded(
        "في إلى عن التي الذي الذين هذا هذه ذلك تلك كان كانت لا لم لن مع هو هي ثم إلا أيضا منذ حتى إذا لقد ليس");

    private static readonly FrozenSet<string> WelshWords = Folded(
        "y yr yn ac ar mae ei eu wedi bod fod gan hyn fy mewn sydd fel roedd ond bydd wrth gyda hefyd ddim dim neu nid oes ydy yw "
        + "ydych chi ni diolch os pan sut beth rydw rwy dwi yma yna ein eich hwn hon iawn gael cael mai ble pwy oedd nad efo hynny "
        + "rhaid angen eisiau heddiw newydd cymraeg saesneg croeso");

    private static readonly FrozenSet<string> EnglishWords = Folded(
        "the and to of is in it you that for on with this be are was have not your we can please hi hello thanks thank will my from "
        + "but if or by an do get has there what so our they me would could should been which when up just about");

    /// <param name="LineBalance">Per line, Welsh minus English evidence, when asked for.</param>
    public readonly record struct Scores(int ArabicLetters, int LatinLetters, int Persian, int Arabic, int Welsh, int English, int[]? LineBalance)
    {
        public Lang ArabicScript => Arabic > Persian ? Lang.Arabic : Lang.Persian;

        public Lang LatinScript => Welsh > English ? Lang.Welsh : Lang.English;

        /// <summary>Both Welsh and English clearly there: worth deciding line by line.</summary>
        public bool Bilingual => Welsh >= 6 && English >= 6;

        public Lang Dominant => ArabicLetters > LatinLetters ? ArabicScript : LatinScript;
    }

    public static Lang Detect(List<Word> words) => Evidence(words, null).Dominant;

    public static Scores Evidence(List<Word> words, int[]? lineBalance)
    {
        int arabicLetters = 0, latinLetters = 0, persian = 0, arabic = 0, welsh = 0, english = 0;
        foreach (var word in words)
        {
            if (word.Script == Script.Arabic)
            {
                arabicLetters += word.Text.Length;
                var (fa, ar) = ArabicScore(word);
                persian += fa;
                arabic += ar;
            }
            else if (word.Script == Script.Latin)
            {
                latinLetters += word.Text.Length;
                var (cy, en) = LatinScore(word);
                welsh += cy;
                english += en;
                if (lineBalance is not null)
                {
                    lineBalance[word.Line] += cy - en;
                }
            }
        }
        return new Scores(arabicLetters, latinLetters, persian, arabic, welsh, english, lineBalance);
    }

    private static (int Persian, int Arabic) ArabicScore(in Word word)
    {
        var persian = PersianWords.Contains(word.Text) ? 2 : 0;
        var arabic = ArabicWords.Contains(word.Text) ? 2 : 0;
        persian += (word.Clues.HasFlag(Clues.PersianLetter) ? 2 : 0) + (word.Clues.HasFlag(Clues.PersianKeyboard) ? 1 : 0);
        arabic += (word.Clues.HasFlag(Clues.ArabicLetter) ? 2 : 0) + (word.Clues.HasFlag(Clues.ArabicKeyboard) ? 1 : 0);
        if (word.Text.Length >= 5 && word.Text.StartsWith("ال", StringComparison.Ordinal))
        {
            arabic++;
        }
        return (persian, arabic);
    }

    private static (int Welsh, int English) LatinScore(in Word word)
    {
        var text = word.Text;
        var welsh = WelshWords.Contains(text) ? 2 : 0;
        var english = EnglishWords.Contains(text) ? 2 : 0;
        if (welsh + english > 0 || text.Length < 3)
        {
            return (welsh, english);
        }
        if (word.Clues.HasFlag(Clues.WelshLetter)
            || text.StartsWith("ngh", StringComparison.Ordinal) || text.StartsWith("mh", StringComparison.Ordinal)
            || text.StartsWith("nh", StringComparison.Ordinal) || text.StartsWith("dd", StringComparison.Ordinal)
            || text.StartsWith("chw", StringComparison.Ordinal) || text.EndsWith("iaid", StringComparison.Ordinal))
        {
            welsh += 2;
        }
        if (text.StartsWith("ll", StringComparison.Ordinal) || text.StartsWith("rh", StringComparison.Ordinal)
            || text.StartsWith("gw", StringComparison.Ordinal) || text.Contains("wy", StringComparison.Ordinal)
            || (text.EndsWith("dd", StringComparison.Ordinal) && text is not ("add" or "odd"))
            || (text.EndsWith("au", StringComparison.Ordinal) && text.Length > 3)
            || text.EndsWith("aeth", StringComparison.Ordinal) || text.EndsWith("wch", StringComparison.Ordinal))
        {
            welsh++;
        }
        // Letters the Welsh alphabet lacks, and English-only spellings.
        if (text.AsSpan().IndexOfAny("kqvxz") >= 0 || text.EndsWith("ing", StringComparison.Ordinal) || text.EndsWith("tion", StringComparison.Ordinal)
            || text.EndsWith("ly", StringComparison.Ordinal) || text.Contains("ee", StringComparison.Ordinal)
            || text.Contains("oo", StringComparison.Ordinal) || text.Contains("sh", StringComparison.Ordinal)
            || text.Contains("ck", StringComparison.Ordinal) || (text.EndsWith("ed", StringComparison.Ordinal) && text.Length > 3))
        {
            english++;
        }
        return (welsh, english);
    }

    private static FrozenSet<string> Folded(string words) => Tokenizer.Words(words).Select(w => w.Text).ToFrozenSet(StringComparer.Ordinal);
}
