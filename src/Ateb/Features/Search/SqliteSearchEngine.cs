using System.Text;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Search;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Search;

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

internal sealed class CandidateRow
{
    public long Id { get; set; }
    public string Kind { get; set; } = "";
    public Guid EntityId { get; set; }
    public Guid? TicketId { get; set; }
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
}
