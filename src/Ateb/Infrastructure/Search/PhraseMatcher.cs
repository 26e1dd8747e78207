using System.Text;

namespace Ateb.Infrastructure.Search;

/// <summary>
/// Decides whether a search document's stored text (<see cref="TextNormalizer.IndexText"/>) holds the query's phrases.
/// PostgreSQL answers this itself (<c>&lt;-&gt;</c> over a tsvector with one position per word); SQLite FTS5 cannot give
/// a word's forms one position, so its engine pre-filters with the phrase's words and checks the candidates with this.
/// The model is PostgreSQL's, limits included, so both engines agree: title words at positions 1..n, body words from
/// n + 2 (never a phrase across the two), positions capped at 16383, at most 256 positions per form.
/// </summary>
public static class PhraseMatcher
{
    /// <summary>PostgreSQL's largest tsvector position: later words share it.</summary>
    public const int MaxPosition = 16383;

    /// <summary>PostgreSQL keeps at most this many positions of one lexeme in a tsvector (the first ones).</summary>
    public const int MaxPositionsPerForm = 256;

    /// <summary>
    /// The phrases as one string for the SQL function: phrases separated by a line feed (all must match), variants by a
    /// tab (any may match), slots by a space, forms by <see cref="TextNormalizer.FormSeparator"/>; a slot ending in '*'
    /// matches forms that start with one of its forms. Forms are normalizer tokens: letters, marks and digits only.
    /// </summary>
    public static string Spec(IReadOnlyList<QueryPhrase> phrases, bool prefixOpen)
    {
        var builder = new StringBuilder();
        foreach (var phrase in phrases)
        {
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }
            var firstVariant = true;
            foreach (var variant in phrase.Variants)
            {
                builder.Append(firstVariant ? "" : "\t");
                firstVariant = false;
                for (var k = 0; k < variant.Count; k++)
                {
                    builder.Append(k == 0 ? "" : " ").AppendJoin(TextNormalizer.FormSeparator, variant[k]);
                    if (prefixOpen && phrase.Open && k == variant.Count - 1)
                    {
                        builder.Append('*');
                    }
                }
            }
        }
        return builder.ToString();
    }

    private sealed record Slot(HashSet<string> Forms, string[] List, bool Prefix);

    [ThreadStatic]
    private static (string Spec, Slot[][][] Phrases)? _last;

    /// <summary>True when every phrase of <paramref name="spec"/> has a variant that occurs in the title or the body.</summary>
    public static bool Matches(string? title, string? body, string spec)
    {
        var phrases = Parse(spec);
        var document = new Document(title ?? "", body ?? "");
        foreach (var variants in phrases)
        {
            if (!variants.Any(document.Contains))
            {
                return false;
            }
        }
        return true;
    }

    private static Slot[][][] Parse(string spec)
    {
        if (_last is { } last && string.Equals(last.Spec, spec, StringComparison.Ordinal))
        {
            return last.Phrases;
        }
        var phrases = spec.Split('\n').Select(phrase => phrase.Split('\t').Select(variant => variant.Split(' ').Select(slot =>
        {
            var prefix = slot.EndsWith('*');
            var forms = (prefix ? slot[..^1] : slot).Split(TextNormalizer.FormSeparator, StringSplitOptions.RemoveEmptyEntries);
            return new Slot(new HashSet<string>(forms, StringComparer.Ordinal), forms, prefix);
        }).ToArray()).ToArray()).ToArray();
        _last = (spec, phrases);
        return phrases;
    }

    /// <summary>
    /// The document as the phrase check reads it. Short documents (the common case) are searched in place: the first slot's
    /// forms are found with a vectorized search and only the words after each hit are compared, so a document is neither
    /// split nor copied. Long ones follow PostgreSQL's exact model (capped positions, at most 256 per form).
    /// </summary>
    private readonly struct Document
    {
        private readonly string _title;
        private readonly string _body;
        private readonly Dictionary<string, List<int>>? _positions;

        public Document(string title, string body)
        {
            _title = title;
            _body = body;
            var titleWords = FormSearch.Words(title);
            if (titleWords + FormSearch.Words(body) + 1 > MaxPositionsPerForm)
            {
                var words = new List<(string, int, int)>();
                Split(title, words);
                Split(body, words);
                _positions = Positions(words, titleWords);
            }
        }

        private static void Split(string text, List<(string, int, int)> into)
        {
            var start = 0;
            for (var i = 0; i <= text.Length; i++)
            {
                if (i == text.Length || text[i] == ' ')
                {
                    if (i > start)
                    {
                        into.Add((text, start, i - start));
                    }
                    start = i + 1;
                }
            }
        }

        /// <summary>Position of word i as PostgreSQL numbers it (see PostgresSearchEngine.Prepare).</summary>
        private static int Position(int i, int titleWords) =>
            Math.Min(i < titleWords ? i + 1 : i - titleWords + (titleWords == 0 ? 1 : titleWords + 2), MaxPosition);

        private static Dictionary<string, List<int>> Positions(List<(string Text, int Start, int Length)> words, int titleWords)
        {
            var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < words.Count; i++)
            {
                var (text, start, length) = words[i];
                var position = Position(i, titleWords);
                foreach (var form in text.Substring(start, length).Split(TextNormalizer.FormSeparator, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!positions.TryGetValue(form, out var list))
                    {
                        positions[form] = list = [];
                    }
                    if (list.Count < MaxPositionsPerForm && (list.Count == 0 || list[^1] != position))
                    {
                        list.Add(position);
                    }
                }
            }
            return positions;
        }

        // Short document: each word is at a position of its own, no form can reach 256 positions, and a run never crosses
        // from the title into the body (PostgreSQL leaves a position free between them), so each text is searched alone.
        public bool Contains(Slot[] variant) =>
            _positions is not null ? ContainsByPosition(variant, _positions) : ContainsIn(_title, variant) || ContainsIn(_body, variant);

        private static bool ContainsIn(string text, Slot[] variant)
        {
            var span = text.AsSpan();
            foreach (var form in variant[0].List)
            {
                for (var at = FormSearch.Find(span, form, variant[0].Prefix, 0); at >= 0; at = FormSearch.Find(span, form, variant[0].Prefix, at + form.Length))
                {
                    var next = span[at..].IndexOf(' ');
                    if (Follows(text, next < 0 ? span.Length : at + next, variant))
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        /// <summary>Whether the words after the one ending at <paramref name="wordEnd"/> hold the variant's later slots.</summary>
        private static bool Follows(string text, int wordEnd, Slot[] variant)
        {
            for (var k = 1; k < variant.Length; k++)
            {
                if (wordEnd >= text.Length)
                {
                    return false;
                }
                var start = wordEnd + 1;
                var next = text.AsSpan(start).IndexOf(' ');
                wordEnd = next < 0 ? text.Length : start + next;
                if (!Holds((text, start, wordEnd - start), variant[k]))
                {
                    return false;
                }
            }
            return true;
        }

        private static bool Holds((string Text, int Start, int Length) word, Slot slot)
        {
            var lookup = slot.Forms.GetAlternateLookup<ReadOnlySpan<char>>();
            var rest = word.Text.AsSpan(word.Start, word.Length);
            while (true)
            {
                var end = rest.IndexOf(TextNormalizer.FormSeparator);
                var form = end < 0 ? rest : rest[..end];
                if (slot.Prefix ? StartsWithAny(form, slot.List) : lookup.Contains(form))
                {
                    return true;
                }
                if (end < 0)
                {
                    return false;
                }
                rest = rest[(end + 1)..];
            }
        }

        private static bool StartsWithAny(ReadOnlySpan<char> form, string[] prefixes)
        {
            foreach (var prefix in prefixes)
            {
                if (form.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }

        private static bool ContainsByPosition(Slot[] variant, Dictionary<string, List<int>> positions)
        {
            HashSet<int> At(Slot slot) => [.. positions.Where(p => slot.Prefix ? StartsWithAny(p.Key, slot.List) : slot.Forms.Contains(p.Key)).SelectMany(p => p.Value)];
            var starts = At(variant[0]);
            for (var k = 1; k < variant.Length && starts.Count > 0; k++)
            {
                var next = At(variant[k]);
                var offset = k;
                starts.RemoveWhere(p => !next.Contains(p + offset));
            }
            return starts.Count > 0;
        }
    }
}
