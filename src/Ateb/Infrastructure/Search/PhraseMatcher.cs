using System.Text;
using Microsoft.Data.Sqlite;

namespace Ateb.Infrastructure.Search;

/// <summary>
/// Decides whether a search document's stored text (<see cref="TextNormalizer.IndexText"/>) holds the query's phrases.
/// PostgreSQL answers this itself (<c>&lt;-&gt;</c> over a tsvector with one position per word); SQLite FTS5 cannot give
/// a word's forms one position, so its engine pre-filters with the phrase's words and calls this as an SQL function.
/// The model is PostgreSQL's, limits included, so both engines agree: title words at positions 1..n, body words from
/// n + 2 (never a phrase across the two), positions capped at 16383, at most 256 positions per form.
/// </summary>
public static class PhraseMatcher
{
    /// <summary>The SQL function's name (registered on every SQLite connection).</summary>
    public const string FunctionName = "ateb_phrase";

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

    /// <summary>Makes <see cref="FunctionName"/>(title, body, spec) available to SQL on this connection.</summary>
    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<string?, string?, string, bool>(FunctionName, Matches, isDeterministic: true);

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

    /// <summary>The document's words by position, read from the stored text without copying it (the common case).</summary>
    private readonly struct Document
    {
        private readonly string _title;
        private readonly string _body;
        private readonly List<(string Text, int Start, int Length)> _words;
        private readonly int _titleWords;
        // Long documents only: PostgreSQL's exact model (capped positions, at most 256 per form).
        private readonly Dictionary<string, List<int>>? _positions;

        public Document(string title, string body)
        {
            _title = title;
            _body = body;
            _words = [];
            Split(title, _words);
            _titleWords = _words.Count;
            Split(body, _words);
            _positions = _words.Count + 1 > MaxPositionsPerForm ? Positions() : null;
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
        private int Position(int i) => Math.Min(i < _titleWords ? i + 1 : i - _titleWords + (_titleWords == 0 ? 1 : _titleWords + 2), MaxPosition);

        private Dictionary<string, List<int>> Positions()
        {
            var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < _words.Count; i++)
            {
                var (text, start, length) = _words[i];
                var position = Position(i);
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

        public bool Contains(Slot[] variant)
        {
            if (_positions is not null)
            {
                return ContainsByPosition(variant, _positions);
            }
            // Short document: word i is at a position of its own, and no form can reach 256 positions.
            for (var i = 0; i + variant.Length <= _words.Count; i++)
            {
                var k = 0;
                // A run never crosses from the title into the body (PostgreSQL leaves a position free between them).
                while (k < variant.Length && (i >= _titleWords || i + k < _titleWords) && Holds(_words[i + k], variant[k]))
                {
                    k++;
                }
                if (k == variant.Length)
                {
                    return true;
                }
            }
            return false;
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
