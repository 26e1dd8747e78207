using System.Globalization;
using System.Text;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Search;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Search;

internal sealed record SearchHit(string Kind, Guid EntityId, Guid? TicketId, double Rank);

/// <summary>
/// What the query asks: per word, its alternative forms (OR), all words required (AND); the last word may be a prefix.
/// Phrases are required too; when the last phrase is still open (being typed) the prefix applies to its last word instead.
/// </summary>
internal sealed record SearchQuery(IReadOnlyList<IReadOnlyList<string>> Terms, bool LastIsPrefix, IReadOnlyCollection<string> Kinds, bool IncludeInternal, int Limit)
{
    /// <summary>Any word may match instead of all (suggestions from free text); ranking puts documents matching more words first.</summary>
    public bool MatchAny { get; init; }

    /// <summary>Quoted phrases: each must occur, its words adjacent and in order (see <see cref="QueryPhrase"/>).</summary>
    public IReadOnlyList<QueryPhrase> Phrases { get; init; } = [];

    /// <summary>
    /// A query from what someone typed: <paramref name="typing"/> (the text does not end in a space) makes the last word a
    /// prefix unless the query ends with a closing quote.
    /// </summary>
    public static SearchQuery From(ParsedQuery parsed, bool typing, IReadOnlyCollection<string> kinds, bool includeInternal, int limit) =>
        new(parsed.Terms, typing && !parsed.EndsInQuote, kinds, includeInternal, limit) { Phrases = parsed.Phrases };

    /// <summary>The prefix applies to an open phrase's last word when there is one, else to the last term.</summary>
    public bool PrefixOnPhrase => LastIsPrefix && Phrases.Count > 0 && Phrases[^1].Open;

    public bool PrefixOnTerm(int i) => LastIsPrefix && !PrefixOnPhrase && i == Terms.Count - 1;
}

/// <summary>The boundary to a full-text engine: SQLite FTS5 (embedded) or PostgreSQL full-text search.</summary>
internal interface ISearchEngine
{
    /// <summary>Engine-side data for a document about to be saved (FTS5 keeps itself in step with triggers).</summary>
    void Prepare(AtebDb db, SearchDocument document);

    Task<IReadOnlyList<SearchHit>> SearchAsync(AtebDb db, Guid workspaceId, SearchQuery query, CancellationToken ct);
}

internal static class SearchLimits
{
    /// <summary>
    /// Matches ranked per query, at most. A very common word matches most documents; ranking all of them would make the
    /// commonest words the slowest queries. Candidates are the newest matches (highest row ids) up to this cap: 1,000,
    /// which is also the most results Zendesk's search API returns for a query. At 1,000,000 messages the walks and the
    /// ranking of 2,000 kept the very common word and the AND above 50 ms on PostgreSQL (docs/benchmarks.md).
    /// </summary>
    public const int Candidates = 1000;

    /// <summary>
    /// Documents holding a phrase's words (near each other on SQLite) checked for the phrase itself, at most, newest first:
    /// words that are common together would otherwise have the phrase checked in a tenth of the desk. A phrase found only
    /// in older documents than these is not found.
    /// </summary>
    public const int PhraseBudget = Candidates;
}

/// <summary>
/// FTS5 over SearchDocuments (external content, kept in step by triggers) finds the candidates, newest first; they are
/// ranked here (<see cref="CandidateRanker"/>, BM25 with the title weighted 10 to 1), not with FTS5's bm25(), which walks
/// every document of each query term for its IDF (the workspace and kind terms are in nearly every document).
/// </summary>
internal sealed class SqliteSearchEngine : ISearchEngine
{
    public void Prepare(AtebDb db, SearchDocument document)
    {
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(AtebDb db, Guid workspaceId, SearchQuery query, CancellationToken ct)
    {
        var kinds = query.Kinds.Where(SearchKinds.All.Contains).ToList();
        if (kinds.Count == 0)
        {
            return [];
        }
        // Workspace and kind are terms of the Scope column, so the newest-first walk skips other documents inside the index
        // (filtering on the document row instead reads every skipped row: 100,000 newer articles cost a message search
        // seconds). Without bm25() the walk stops after the candidates: no query reads a whole doclist.
        var match = new StringBuilder($"Scope : \"w{workspaceId:N}\" AND Scope : ({string.Join(" OR ", kinds.Select(k => $"\"k{k}\""))}) AND (");
        var parts = new List<string>(query.Terms.Count + query.Phrases.Count);
        for (var i = 0; i < query.Terms.Count; i++)
        {
            parts.Add(Any(query.Terms[i], query.PrefixOnTerm(i)));
        }
        var words = string.Join(query.MatchAny ? " OR " : " AND ", parts);
        // A phrase's words near each other narrow the documents down; PhraseMatcher then checks adjacency and order, here on
        // the rows read anyway for ranking, on at most PhraseBudget of the newest such documents (common words are near each
        // other in many documents). Not as an SQL function: that marshalled every candidate's text once for the check and
        // the survivors' once more, with a callback per row.
        var phrases = query.Phrases.Select(p => "(" + string.Join(" OR ", p.Variants.Select(v => Near(v, query.PrefixOnPhrase && p.Open))) + ")").ToList();
        match.Append(words.Length > 0 && phrases.Count > 0 ? $"({words}) AND " : words).AppendJoin(" AND ", phrases).Append(')');
        if (!query.IncludeInternal)
        {
            match.Append(" NOT Scope : \"internal\"");
        }
        var hasPhrases = query.Phrases.Count > 0;
        // At most Candidates rows either way (PhraseBudget <= Candidates), so no sort of the rows' text in SQL: C# orders them.
        var sql = $$"""
            WITH c AS MATERIALIZED (SELECT rowid AS "Row" FROM "SearchIndex" WHERE "SearchIndex" MATCH {0}
                  ORDER BY rowid DESC LIMIT {{(hasPhrases ? SearchLimits.PhraseBudget : SearchLimits.Candidates)}})
            SELECT d."Id", d."Kind", d."EntityId", d."TicketId", d."Title", d."Body"
            FROM c JOIN "SearchDocuments" d ON d."Id" = c."Row"
            """;
        var rows = await db.Database.SqlQueryRaw<CandidateRow>(sql, match.ToString()).ToListAsync(ct);
        if (hasPhrases)
        {
            var spec = PhraseMatcher.Spec(query.Phrases, query.PrefixOnPhrase);
            rows.RemoveAll(r => !PhraseMatcher.Matches(r.Title, r.Body, spec));
        }
        var scores = CandidateRanker.Score(rows.Select(r => (r.Title, r.Body)).ToList(), CandidateRanker.Terms(query));
        return [.. rows.Select((r, i) => (Row: r, Score: scores[i])).OrderByDescending(x => x.Score).ThenByDescending(x => x.Row.Id).Take(query.Limit)
            .Select(x => new SearchHit(x.Row.Kind, x.Row.EntityId, x.Row.TicketId, x.Score))];
    }

    private static string Any(IReadOnlyList<string> forms, bool prefix) =>
        "(" + string.Join(" OR ", forms.Select(t => Quoted(t, prefix))) + ")";

    private static string Quoted(string form, bool prefix) => $"\"{form.Replace("\"", "\"\"", StringComparison.Ordinal)}\"{(prefix ? "*" : "")}";

    /// <summary>Most NEAR groups one phrase variant becomes (one per combination of its words' forms); beyond, its words are AND-ed.</summary>
    private const int MaxNearGroups = 16;

    /// <summary>
    /// A phrase variant as FTS5 can pre-filter it: FTS5 gives each form of a word its own position, so adjacent words are
    /// at most (forms of one - 1) + (forms of the other - 1) tokens apart. NEAR with that bound, for every combination of
    /// the words' forms, keeps every document that holds the phrase and drops most that only hold its words somewhere.
    /// A Latin-script word is indexed under at most 4 forms (itself, a stem, Welsh radicals); an Arabic-script word under
    /// more (stems, ZWNJ parts, joins), bounded here by 32.
    /// </summary>
    private static string Near(IReadOnlyList<IReadOnlyList<string>> slots, bool prefixLast)
    {
        if (slots.Count == 1)
        {
            return Any(slots[0], prefixLast);
        }
        var groups = slots.Aggregate(1L, (n, slot) => n * Math.Max(1, slot.Count));
        if (groups > MaxNearGroups)
        {
            return "(" + string.Join(" AND ", slots.Select((slot, k) => Any(slot, prefixLast && k == slots.Count - 1))) + ")";
        }
        static int Spread(IReadOnlyList<string> slot) => slot.Any(f => f.Any(c => c >= '\u0600' && c <= '\u06FF')) ? 31 : 3;
        var distance = 0;
        for (var k = 1; k < slots.Count; k++)
        {
            distance += Spread(slots[k - 1]) + Spread(slots[k]);
        }
        IEnumerable<IEnumerable<string>> combinations = [[]];
        for (var k = 0; k < slots.Count; k++)
        {
            var prefix = prefixLast && k == slots.Count - 1;
            var slot = slots[k];
            combinations = combinations.SelectMany(c => slot.Select(f => c.Append(Quoted(f, prefix))));
        }
        return "(" + string.Join(" OR ", combinations.Select(c => $"NEAR({string.Join(' ', c)}, {distance})")) + ")";
    }
}

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
            p.Value.Select(x => x.At.ToString(CultureInfo.InvariantCulture) + x.Weight))));
        // Parse is marked unreliable for arbitrary text; ours is a generated list of quoted lexemes made of letters and digits
        // only (the normalizer's tokens), with positions and weights, which it reads exactly. Npgsql has no public constructor.
#pragma warning disable CS0618
        db.Entry(document).Property(SearchDocument.VectorColumn).CurrentValue = NpgsqlTypes.NpgsqlTsVector.Parse(vector.Trim());
#pragma warning restore CS0618
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
        var phrases = query.Phrases.Select(p => "(" + string.Join(" | ", p.Variants.Select(v => "(" + string.Join(" <-> ",
            v.Select((slot, k) => Any(slot, query.PrefixOnPhrase && p.Open && k == v.Count - 1))) + ")")) + ")").ToList();
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
        var filter = phrases.Count > 0 ? (words.Length > 0 ? $"({words}) & " : "") + string.Join(" & ", query.Phrases.Select(p => "(" + string.Join(" | ",
            p.Variants.Select(v => "(" + string.Join(" & ", v.Select((slot, k) => Any(slot, query.PrefixOnPhrase && p.Open && k == v.Count - 1))) + ")")) + ")")) : tsquery;
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

internal sealed class CandidateRow
{
    public long Id { get; set; }
    public string Kind { get; set; } = "";
    public Guid EntityId { get; set; }
    public Guid? TicketId { get; set; }
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
}

internal sealed class HitRow
{
    public string Kind { get; set; } = "";
    public Guid EntityId { get; set; }
    public Guid? TicketId { get; set; }
    public double Rank { get; set; }
}
