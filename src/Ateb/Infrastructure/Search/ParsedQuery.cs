namespace Ateb.Infrastructure.Search;

/// <summary>
/// One quoted phrase: its <see cref="Variants"/> are alternative readings (any may match), each a list of slots (one per
/// word, in order) and each slot the forms that word may take. A document matches a variant when some run of adjacent
/// words in one field (title or body) holds each slot's forms in order.
/// </summary>
/// <param name="Open">The quote was not closed: the phrase is still being typed, so its last word may match as a prefix.</param>
public sealed record QueryPhrase(IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> Variants, bool Open);

/// <summary>A parsed search query: words to find anywhere (AND), phrases to find as written (AND).</summary>
/// <param name="EndsInQuote">The query ends with a quotation mark: nothing is being typed, so nothing matches as a prefix.</param>
public sealed record ParsedQuery(IReadOnlyList<IReadOnlyList<string>> Terms, IReadOnlyList<QueryPhrase> Phrases, bool EndsInQuote)
{
    public static readonly ParsedQuery Empty = new([], [], false);

    public bool IsEmpty => Terms.Count == 0 && Phrases.Count == 0;

    /// <summary>
    /// Every word group of the query for marking matched words: the closed phrases' words, the bare words, then an open
    /// phrase's words, so that the group that may be a prefix is the last one.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Highlight =>
    [
        .. Phrases.Where(p => !p.Open).SelectMany(p => p.Variants.SelectMany(v => v)),
        .. Terms,
        .. Phrases.Where(p => p.Open).SelectMany(p => p.Variants.SelectMany(v => v)),
    ];
}
