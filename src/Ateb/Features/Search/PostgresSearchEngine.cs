using System.Globalization;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Search;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Search;

/// <summary>
/// PostgreSQL full-text search over a tsvector built from the normalizer's tokens (no text search parser or dictionary is
/// involved, so results do not depend on the server's locale), GIN-indexed; ts_rank_cd with the title weighted A.
/// </summary>
internal sealed class PostgresSearchEngine : ISearchEngine
{
    public void Prepare(AtebDb db, SearchDocument document)
    {
        // One position per word, shared by all its forms (phrases compare positions); the body starts after a free position.
        // Each lexeme is written once with all its positions: NpgsqlTsVector.Parse does not merge every repeated lexeme
        // (a word written twice kept only its last position), which lost matches for ranking and phrases.
        var titleWords = Words(document.Title).Length;
        var positions = new Dictionary<string, List<(int At, char Weight)>>(StringComparer.Ordinal);
        Positions(positions, document.Title, 'A', 1);
        Positions(positions, document.Body, 'B', titleWords == 0 ? 1 : titleWords + 2);
        var vector = string.Join(' ', positions.Select(p => Lexeme(p.Key) + ":" + string.Join(',',
            p.Value.Select(x => x.At.ToString(CultureInfo.InvariantCulture) + x.Weight))).Concat(CommonPairs(positions).Select(Lexeme)));
        // Parse is marked unreliable for arbitrary text; ours is a generated list of quoted lexemes made of letters and digits
        // only (the normalizer's tokens) with positions and weights, then the pairs ('_' and tokens, no positions), which it
        // reads exactly (CommonPairsTests reads them back). Npgsql has no public constructor.
#pragma warning disable CS0618
        db.Entry(document).Property(SearchDocument.VectorColumn).CurrentValue = NpgsqlTypes.NpgsqlTsVector.Parse(vector.Trim());
#pragma warning restore CS0618
    }

    /// <summary>
    /// Starts a pair lexeme: the normalizer's tokens are letters, digits and marks, so no word, and no prefix a query asks
    /// for, begins with it.
    /// </summary>
    public const char PairMark = '_';

    /// <summary>The lexeme standing for <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    public static string PairLexeme(string first, string second) => PairMark + first + PairMark + second;

    /// <summary>
    /// Lucene's common grams: a lexeme for each pair of common words (stopwords of any language) that follow one another,
    /// without positions, next to the words themselves. A quoted phrase of common words («"you my"», «"این را"») otherwise
    /// had its walk filter on two words found in nearly every document and checked the phrase in PhraseBudget of them
    /// (60 to 70 ms at a million messages); the pair is as selective as the phrase. Derived from the positions as written
    /// (first 256 of a form, capped position), so a pair is present exactly when `first &lt;-&gt; second` would match; the
    /// migration SearchCommonPairs derives the same from stored vectors.
    /// </summary>
    public static IEnumerable<string> CommonPairs(IReadOnlyDictionary<string, List<(int At, char Weight)>> positions)
    {
        var common = new Dictionary<int, List<string>>();
        foreach (var (form, list) in positions)
        {
            if (!Stopwords.AnyLanguage.Contains(form))
            {
                continue;
            }
            foreach (var (at, _) in list)
            {
                if (!common.TryGetValue(at, out var forms))
                {
                    common[at] = forms = [];
                }
                forms.Add(form);
            }
        }
        var pairs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (at, forms) in common)
        {
            if (common.TryGetValue(at + 1, out var next))
            {
                foreach (var first in forms)
                {
                    foreach (var second in next)
                    {
                        pairs.Add(PairLexeme(first, second));
                    }
                }
            }
        }
        return pairs;
    }

    /// <summary>
    /// Kinds in the order they are walked: the one with the most documents first, so the others can start at its floor.
    /// </summary>
    private static readonly string[] KindOrder = [SearchKinds.Message, SearchKinds.Article, SearchKinds.Ticket, SearchKinds.Customer];

    /// <summary>Candidates of the first kind within this many ids per candidate count as dense (see SearchAsync).</summary>
    private const int DenseSpan = 20;

    /// <summary>
    /// The predicate of a kind's GIN index and the engine's filter on that kind, written the same way so the planner proves
    /// one from the other. A range of one value rather than an equality: with "Kind" = x the planner drops the kind from the
    /// order (kind, id) and may walk the primary key backwards instead, testing every newer row of other kinds (10,000
    /// articles newer than every message cost a message search 30,000 tested rows); (WorkspaceId, Kind, Id) is the only
    /// index that gives the order (kind, id), and a range of one value bounds it as exactly as an equality.
    /// </summary>
    public static string KindPredicate(string kind) => SearchKinds.All.Contains(kind)
        ? $"\"Kind\" >= '{kind}' AND \"Kind\" <= '{kind}'"
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a search kind");

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(AtebDb db, Guid workspaceId, SearchQuery query, CancellationToken ct)
    {
        var words = string.Join(query.MatchAny ? " | " : " & ", query.Terms.Select((forms, i) => Any(forms, query.PrefixOnTerm(i))));
        // <-> is "followed by": with all forms of a word at its position, a phrase is each word's forms in turn.
        string Phrase(QueryPhrase p) => AnyVariant(p, v => string.Join(" <-> ",
            v.Select((slot, k) => Any(slot, query.PrefixOnPhrase && p.Open && k == v.Count - 1))));
        var phrases = query.Phrases.Select(Phrase).ToList();
        var tsquery = words.Length > 0 && phrases.Count > 0 ? $"({words}) & " + string.Join(" & ", phrases) : words + string.Join(" & ", phrases);
        var kinds = KindOrder.Where(query.Kinds.Contains).ToList();
        if (kinds.Count == 0)
        {
            return [];
        }
        // One newest-first walk per kind over (WorkspaceId, Kind, Id), or the kind's own GIN index for rarer words (the
        // planner picks per kind): a very common word reads only documents of the asked-for kinds, and a word's bitmap
        // only the kind's documents. A phrase is checked on at most PhraseBudget of the newest documents holding all its
        // words.
        // The walks filter on a phrase's words (all of them, anywhere; two adjacent common words by their pair, see
        // CommonPairs); the phrase itself is checked on what they keep.
        string Filter(QueryPhrase p) => AnyVariant(p, v => string.Join(" & ", FilterSlots(v, query.PrefixOnPhrase && p.Open)));
        var filter = phrases.Count > 0 ? (words.Length > 0 ? $"({words}) & " : "") + string.Join(" & ", query.Phrases.Select(Filter)) : tsquery;
        var walk = phrases.Count > 0 ? SearchLimits.PhraseBudget : SearchLimits.Candidates;
        // {0} the workspace, {1} the filter, {2} whether internal documents count, {3} the floor (when given).
        // walkOnly: ts_match_vq is what @@ calls, but as a function no index serves it, so the planner has to walk.
        string Branch(string kind, bool floored, bool walkOnly = false) => $$"""
            (SELECT "Id" AS "Value" FROM "SearchDocuments"
             WHERE "WorkspaceId" = {0} AND {{KindPredicate(kind)}}{{(floored ? " AND \"Id\" >= {3}" : "")}}
               AND {{(walkOnly ? "ts_match_vq(\"Search\", {1}::tsquery)" : "\"Search\" @@ {1}::tsquery")}}
               AND ({2} OR "Scope" NOT LIKE '% internal')
             ORDER BY "Kind" DESC, "Id" DESC LIMIT {{walk}})
            """;
        // The kind with the most documents first, on its own: when it fills the walk, only documents at least as new as its
        // oldest can be among the newest `walk`, so the other kinds' walks stop there (a very common word otherwise walked
        // 15,000 tickets, most of them older than every message kept).
        var first = await db.Database.SqlQueryRaw<long>(Branch(kinds[0], false), workspaceId, filter, query.IncludeInternal).ToListAsync(ct);
        var floor = first.Count == walk ? first[^1] : 0;
        // The walks and their merge carry ids only, and the candidates' rows are read once more by key for the phrase check
        // and the rank: sorting 2,000 rows with their tsvectors (2.5 kB an article) spilled past work_mem to disk.
        // When those candidates are dense in the ids (a common word), the other kinds hold few documents above the floor and
        // walking them is cheapest; the planner would rather AND a GIN bitmap with the primary key's range of every newer id
        // (140,000 ids read for no match, 20 ms). When they are sparse, the planner chooses (the kind's GIN index, mostly).
        var dense = floor > 0 && first[0] - floor <= DenseSpan * walk;
        var others = string.Concat(kinds.Skip(1).Select(k => " UNION ALL " + Branch(k, true, dense)));
        var sql = $$"""
            SELECT d."Kind", d."EntityId", d."TicketId", ts_rank_cd(d."Search", {4}::tsquery)::float8 AS "Rank"
            FROM (SELECT w."Value" AS "Id" FROM (SELECT unnest({5}::bigint[]) AS "Value"{{others}}) w
                  {{(phrases.Count > 0 ? "JOIN \"SearchDocuments\" p ON p.\"Id\" = w.\"Value\" WHERE p.\"Search\" @@ {4}::tsquery" : "")}}
                  ORDER BY w."Value" DESC LIMIT {{SearchLimits.Candidates}}) c
            JOIN "SearchDocuments" d ON d."Id" = c."Id"
            ORDER BY "Rank" DESC, d."Id" DESC LIMIT {{query.Limit}}
            """;
        object[] parameters = [workspaceId, filter, query.IncludeInternal, floor, tsquery, first.ToArray()];
        var rows = await db.Database.SqlQueryRaw<HitRow>(sql, parameters).ToListAsync(ct);
        return [.. rows.Select(r => new SearchHit(r.Kind, r.EntityId, r.TicketId, r.Rank))];
    }

    /// <summary>A phrase as any of its variants, each written by <paramref name="variant"/>.</summary>
    private static string AnyVariant(QueryPhrase phrase, Func<IReadOnlyList<IReadOnlyList<string>>, string> variant) =>
        "(" + string.Join(" | ", phrase.Variants.Select(v => "(" + variant(v) + ")")) + ")";

    /// <summary>
    /// What a phrase variant's walk asks of a document: each pair of adjacent slots whose forms are all common words as any
    /// of their pair lexemes, every other slot as any of its forms. A prefix slot (a phrase being typed) is never paired.
    /// </summary>
    private static IEnumerable<string> FilterSlots(IReadOnlyList<IReadOnlyList<string>> slots, bool lastIsPrefix)
    {
        bool Common(int k) => !(lastIsPrefix && k == slots.Count - 1) && slots[k].All(Stopwords.AnyLanguage.Contains);
        var paired = new bool[slots.Count];
        for (var k = 0; k + 1 < slots.Count; k++)
        {
            if (Common(k) && Common(k + 1))
            {
                paired[k] = paired[k + 1] = true;
                yield return "(" + string.Join(" | ", slots[k].SelectMany(first => slots[k + 1].Select(second => Lexeme(PairLexeme(first, second))))) + ")";
            }
        }
        for (var k = 0; k < slots.Count; k++)
        {
            if (!paired[k])
            {
                yield return Any(slots[k], lastIsPrefix && k == slots.Count - 1);
            }
        }
    }

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Adds each form's positions (ascending, distinct, at most PostgreSQL's 256 per lexeme: the first ones).</summary>
    private static void Positions(Dictionary<string, List<(int At, char Weight)>> positions, string text, char weight, int start)
    {
        var position = start;
        foreach (var word in Words(text))
        {
            var at = Math.Min(position++, PhraseMatcher.MaxPosition);
            foreach (var form in word.Split(TextNormalizer.FormSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!positions.TryGetValue(form, out var list))
                {
                    positions[form] = list = [];
                }
                if (list.Count < PhraseMatcher.MaxPositionsPerForm && (list.Count == 0 || list[^1].At < at))
                {
                    list.Add((at, weight));
                }
            }
        }
    }

    private static string Any(IReadOnlyList<string> forms, bool prefix) => "(" + string.Join(" | ", forms.Select(f => Lexeme(f) + (prefix ? ":*" : ""))) + ")";

    private static string Lexeme(string token) => "'" + token.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
}

internal sealed class HitRow
{
    public string Kind { get; set; } = "";
    public Guid EntityId { get; set; }
    public Guid? TicketId { get; set; }
    public double Rank { get; set; }
}
