using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace Ateb.Infrastructure.Search;

/// <summary>
/// The only text the search engines see, for Persian, Arabic, Welsh and English. Both sides fold the same way (NFKC, lower
/// case, Latin diacritics off, one canonical Arabic-script spelling, ASCII digits) and then add alternative forms: a document
/// word is indexed under every form a query might use for it, and a query word asks for any of its forms.
/// <list type="bullet">
/// <item>Arabic script: ی and ک are canonical for Persian and Arabic alike (ي ى ئ → ی, ك → ک, ة ۀ ہ → ه, أ إ آ ٱ → ا, ؤ → و),
/// harakat and tatweel go. A ZWNJ word is indexed whole and in parts; in Persian text two adjacent words are also indexed
/// joined (and X و Y as one), so «کسب‌وکار», «کسبوکار» and «کسب و کار» all meet, as do «می‌شود» and «میشود».</item>
/// <item>Welsh: a word is indexed under every radical it may be a mutation of (see WelshMutations), and so is a query word.</item>
/// <item>English, Persian, Arabic: light stems next to the word itself.</item>
/// </list>
/// Documents keep stopwords; queries drop them unless nothing else is left (or they are inside a quoted phrase).
/// </summary>
public static class TextNormalizer
{
    /// <summary>Longest token in UTF-16 units: longer words (base64, hashes) are cut, on both sides, to stay far below PostgreSQL's lexeme limit.</summary>
    private const int MaxToken = 64;

    /// <summary>Endings written after a ZWNJ that a query may leave off: «اندیشه‌اش» also asks for اندیشه.</summary>
    private static readonly FrozenSet<string> SuffixParts = Tokenizer.Words(
            "ها های هایی هایم هایت هایش هایمان هایتان هایشان ای ی یی اش ام ات ایم اید اند است تر ترین شان تان مان م ت ش")
        .Select(w => w.Text).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Tokens to index for a document's text. language: BCP-47 tag ("fa", "ar", "cy", "en", "fa-IR"...) or null to detect.
    /// Each token is already normalized; a token with alternative forms (Welsh mutations) contributes all its candidates.
    /// </summary>
    public static IReadOnlyList<string> IndexTokens(string text, string? language = null) => [.. IndexWords(text, language).SelectMany(w => w)];

    /// <summary>
    /// The same tokens grouped by the word they came from, in text order: the forms of one word share its position, which
    /// is what a phrase query compares («کسب و کار» or «nghwsmeriaid» stays one word with several forms).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> IndexWords(string text, string? language = null)
    {
        var words = Tokenizer.Words(text);
        if (words.Count == 0)
        {
            return [];
        }
        var languages = Languages.Resolve(language, words);
        var result = new List<IReadOnlyList<string>>(words.Count);
        var forms = new List<string>(8);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var lang = languages.For(word);
            forms.Clear();
            Forms(word, lang, forms);
            if (word.Script == Script.Arabic)
            {
                foreach (var part in word.Parts ?? [])
                {
                    AddStemmed(forms, part, lang);
                }
                if (lang == Lang.Persian)
                {
                    JoinBack(words, i, lang, forms);
                }
            }
            var tokens = new List<string>(forms.Count);
            Emit(forms, tokens);
            result.Add(tokens);
        }
        return result;
    }

    /// <summary>Separates the forms of one word in <see cref="IndexText"/> (FTS5's tokenizer reads it as a separator).</summary>
    public const char FormSeparator = '|';

    /// <summary>
    /// What a search document stores for a text: words separated by spaces, the forms of one word by
    /// <see cref="FormSeparator"/>. Full-text engines see every form as a token; phrase matching sees words.
    /// </summary>
    public static string IndexText(string text, string? language = null) =>
        string.Join(' ', IndexWords(text, language).Select(w => string.Join(FormSeparator, w)));

    /// <summary>
    /// Query side: one entry per query word (stopwords dropped unless the query is only stopwords), each the list of
    /// alternative normalized forms (OR within an entry, AND across entries). Consistent with IndexTokens: a query word's
    /// forms meet the indexed forms of every document word that should match it.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> QueryTerms(string query, string? language = null)
    {
        var words = Tokenizer.Words(query);
        return words.Count == 0 ? [] : Terms(words, Languages.Resolve(language, words), keepStopwordsIfAlone: true);
    }

    /// <summary>Quotation marks that open or close a phrase: straight, curly and the guillemets Persian and Arabic writers use.</summary>
    private static readonly SearchValues<char> Quotes = SearchValues.Create("\"\u201C\u201D\u201E\u00AB\u00BB");

    /// <summary>
    /// A query with its quoted phrases: words outside quotes become <see cref="ParsedQuery.Terms"/> (as in
    /// <see cref="QueryTerms"/>), each quoted run a <see cref="QueryPhrase"/> whose words must appear adjacent and in order.
    /// Inside quotes stopwords stay (documents keep them, so «reset the password» asks for the «the»), and every word keeps
    /// its forms (stems, Welsh radicals, Arabic-script spellings). Adjacent Arabic-script words may also meet one joined
    /// word («کسب و کار» is also «کسب‌وکار»), so a phrase lists variants, any of which may match. An unclosed quote runs to
    /// the end of the query (a phrase being typed).
    /// </summary>
    public static ParsedQuery ParseQuery(string query, string? language = null)
    {
        var bare = new List<Word>();
        var quoted = new List<List<Word>>();
        var inQuote = false;
        var start = 0;
        for (var i = 0; i <= query.Length; i++)
        {
            if (i < query.Length && !Quotes.Contains(query[i]))
            {
                continue;
            }
            var words = Tokenizer.Words(query[start..i]);
            if (words.Count > 0 && inQuote)
            {
                quoted.Add(words);
            }
            else if (words.Count > 0)
            {
                // Words on either side of a phrase are not neighbours: no joining across it.
                words[0] = words[0] with { Adjacent = false };
                bare.AddRange(words);
            }
            inQuote = i < query.Length ? !inQuote : inQuote;
            start = i + 1;
        }
        if (bare.Count == 0 && quoted.Count == 0)
        {
            return ParsedQuery.Empty;
        }
        // Still inside quotes at the end: the last phrase is being typed.
        var open = inQuote && quoted.Count > 0 && Tokenizer.Words(query[(query.AsSpan().LastIndexOfAny(Quotes) + 1)..]).Count > 0;
        var languages = Languages.Resolve(language, [.. bare, .. quoted.SelectMany(q => q)]);
        var terms = bare.Count == 0 ? [] : Terms(bare, languages, keepStopwordsIfAlone: quoted.Count == 0);
        var phrases = quoted.Select((words, k) => Phrase(words, languages, open && k == quoted.Count - 1)).ToList();
        return new ParsedQuery(terms, phrases, EndsInQuote: Quotes.Contains(query.TrimEnd()[^1]));
    }

    /// <summary>Most variants one phrase expands to (joins of Arabic-script neighbours); more would make an unbounded query.</summary>
    private const int MaxVariants = 16;

    private static QueryPhrase Phrase(List<Word> words, Languages languages, bool open)
    {
        var variants = new List<IReadOnlyList<IReadOnlyList<string>>>();
        var slots = new List<IReadOnlyList<string>>();
        Compose(words, languages, 0, slots, variants);
        return new QueryPhrase(variants, open);
    }

    /// <summary>
    /// Every way to read the words from <paramref name="from"/> on as slots: each word alone, or two adjacent Arabic-script
    /// words as one joined word, or X و Y as one, the first reading (every word alone) first.
    /// </summary>
    private static void Compose(List<Word> words, Languages languages, int from, List<IReadOnlyList<string>> slots, List<IReadOnlyList<IReadOnlyList<string>>> variants)
    {
        if (variants.Count >= MaxVariants)
        {
            return;
        }
        if (from == words.Count)
        {
            variants.Add([.. slots]);
            return;
        }
        var word = words[from];
        var lang = languages.For(word);
        var forms = new List<string>(8);
        Forms(word, lang, forms);
        slots.Add(Emitted(forms));
        Compose(words, languages, from + 1, slots, variants);
        slots.RemoveAt(slots.Count - 1);
        if (word.Script != Script.Arabic)
        {
            return;
        }
        if (from + 1 < words.Count && words[from + 1].Adjacent && words[from + 1].Script == Script.Arabic)
        {
            forms.Clear();
            AddStemmed(forms, word.Text + words[from + 1].Text, lang);
            slots.Add(Emitted(forms));
            Compose(words, languages, from + 2, slots, variants);
            slots.RemoveAt(slots.Count - 1);
        }
        if (from + 2 < words.Count && words[from + 1].Text == "و" && words[from + 1].Adjacent && words[from + 2].Adjacent && words[from + 2].Script == Script.Arabic)
        {
            forms.Clear();
            AddStemmed(forms, word.Text + "و" + words[from + 2].Text, lang);
            slots.Add(Emitted(forms));
            Compose(words, languages, from + 3, slots, variants);
            slots.RemoveAt(slots.Count - 1);
        }
    }

    private static List<string> Emitted(List<string> forms)
    {
        var into = new List<string>(forms.Count);
        Emit(forms, into);
        return into;
    }

    /// <summary>
    /// Query side: one entry per query word (stopwords dropped unless the query is only stopwords), each the list of
    /// alternative normalized forms.
    /// </summary>
    private static IReadOnlyList<IReadOnlyList<string>> Terms(List<Word> words, Languages languages, bool keepStopwordsIfAlone)
    {
        var entries = new List<IReadOnlyList<string>>(words.Count);
        var content = new List<IReadOnlyList<string>>(words.Count);
        var forms = new List<string>(12);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var lang = languages.For(word);
            forms.Clear();
            Forms(word, lang, forms);
            if (word.Script == Script.Arabic)
            {
                // «کسب و کار» must find «کسبوکار»: each word also asks for its joins with its neighbours.
                JoinBack(words, i, lang, forms);
                JoinAhead(words, i, lang, forms);
            }
            var entry = new List<string>(forms.Count);
            Emit(forms, entry);
            entries.Add(entry);
            if (!IsStopword(word, lang))
            {
                content.Add(entry);
            }
        }
        return content.Count > 0 || !keepStopwordsIfAlone ? content : entries;
    }

    /// <summary>Normalizes one word/phrase without stemming or expansion: folded words joined by single spaces, a ZWNJ as a space.</summary>
    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var word in Tokenizer.Words(text))
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }
            if (word.Parts is { } parts)
            {
                builder.AppendJoin(' ', parts);
            }
            else
            {
                builder.Append(word.Text);
            }
        }
        return builder.ToString();
    }

    /// <summary>"fa", "ar", "cy" or "en" from the text's script and a few frequent words.</summary>
    public static string DetectLanguage(string text) => LanguageDetection.Detect(Tokenizer.Words(text)) switch
    {
        Lang.Persian => "fa",
        Lang.Arabic => "ar",
        Lang.Welsh => "cy",
        _ => "en",
    };

    /// <summary>The forms a word has on both sides: itself, its stem or its Welsh radicals, the ZWNJ word without its endings.</summary>
    private static void Forms(in Word word, Lang lang, List<string> forms)
    {
        switch (word.Script)
        {
            case Script.Arabic:
                AddStemmed(forms, word.Text, lang);
                if (word.Parts is { } parts && WithoutEndings(parts) is { } trimmed)
                {
                    AddStemmed(forms, trimmed, lang);
                }
                break;
            case Script.Latin when lang == Lang.English:
                forms.Add(word.Text);
                forms.Add(EnglishStemmer.Stem(word.Text));
                break;
            case Script.Latin:
                forms.Add(word.Text);
                // Not for stopwords: «mae» would be indexed as «bae», and every Welsh text would match Cardiff Bay.
                if (!Stopwords.Welsh.Contains(word.Text))
                {
                    WelshMutations.AddRadicals(word.Text, forms);
                }
                break;
            default:
                forms.Add(word.Text);
                break;
        }
    }

    /// <summary>Word i joined to the word before it, and across «و» to the one before that (کسب و کار → کسبوکار).</summary>
    private static void JoinBack(List<Word> words, int i, Lang lang, List<string> forms)
    {
        if (i == 0 || !words[i].Adjacent || words[i - 1].Script != Script.Arabic)
        {
            return;
        }
        AddStemmed(forms, words[i - 1].Text + words[i].Text, lang);
        if (words[i - 1].Text == "و" && i > 1 && words[i - 1].Adjacent && words[i - 2].Script == Script.Arabic)
        {
            AddStemmed(forms, words[i - 2].Text + "و" + words[i].Text, lang);
        }
    }

    /// <summary>Word i joined to the word after it, and across «و» to the one after that.</summary>
    private static void JoinAhead(List<Word> words, int i, Lang lang, List<string> forms)
    {
        if (i + 1 == words.Count || !words[i + 1].Adjacent || words[i + 1].Script != Script.Arabic)
        {
            return;
        }
        AddStemmed(forms, words[i].Text + words[i + 1].Text, lang);
        if (words[i + 1].Text == "و" && i + 2 < words.Count && words[i + 2].Adjacent && words[i + 2].Script == Script.Arabic)
        {
            AddStemmed(forms, words[i].Text + "و" + words[i + 2].Text, lang);
        }
    }

    /// <summary>A stopword of its language; a ZWNJ word also when it is one without its endings (می‌شده‌است).</summary>
    private static bool IsStopword(in Word word, Lang lang)
    {
        if (word.Script is Script.Number or Script.Other)
        {
            return false;
        }
        var stopwords = Stopwords.For(lang);
        return stopwords.Contains(word.Text) || (word.Parts is { } parts && WithoutEndings(parts) is { } trimmed && stopwords.Contains(trimmed));
    }

    private static string? WithoutEndings(string[] parts)
    {
        var keep = parts.Length;
        while (keep > 1 && SuffixParts.Contains(parts[keep - 1]))
        {
            keep--;
        }
        return keep == parts.Length ? null : string.Concat(parts.AsSpan(0, keep));
    }

    /// <summary>Adds a form of an Arabic-script word and its stem(s) in the word's language.</summary>
    private static void AddStemmed(List<string> forms, string form, Lang lang)
    {
        forms.Add(form);
        if (lang == Lang.Arabic)
        {
            forms.Add(ArabicStemmer.Stem(form));
            return;
        }
        forms.Add(PersianStemmer.Stem(form));
        if (PersianStemmer.OtherReading(form) is { } other)
        {
            forms.Add(other);
        }
    }

    /// <summary>Adds each form once, cut to <see cref="MaxToken"/> without splitting a surrogate pair.</summary>
    private static void Emit(List<string> forms, List<string> into)
    {
        var start = into.Count;
        foreach (var form in forms)
        {
            var token = form.Length <= MaxToken ? form : form[..(char.IsHighSurrogate(form[MaxToken - 1]) ? MaxToken - 1 : MaxToken)];
            if (token.Length > 0 && into.IndexOf(token, start) < 0)
            {
                into.Add(token);
            }
        }
    }
}
