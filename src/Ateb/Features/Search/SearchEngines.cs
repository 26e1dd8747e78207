using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Search;

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
