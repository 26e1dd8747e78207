using Ateb.Infrastructure.Search;

namespace Ateb.Features.Search;

/// <summary>
/// BM25 over candidates' stored text (<see cref="TextNormalizer.IndexText"/>: words separated by spaces, a word's forms
/// by <see cref="TextNormalizer.FormSeparator"/>), for the SQLite engine. A word counts once however many of its forms
/// match; a title occurrence counts 10 times; the IDF of a term is taken within the candidates (the newest matches, at most
/// <see cref="SearchLimits.Candidates"/>), so ranking reads nothing beyond them.
/// </summary>
internal static class CandidateRanker
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double TitleWeight = 10;

    /// <summary>One query term: the forms any of which a word may take; a prefix term matches words starting with a form.</summary>
    internal sealed record Term(string[] Forms, bool Prefix);

    /// <summary>The query's words and its phrases' words (the first reading of each phrase), each once.</summary>
    public static IReadOnlyList<Term> Terms(SearchQuery query)
    {
        var terms = new List<Term>();
        for (var i = 0; i < query.Terms.Count; i++)
        {
            terms.Add(new([.. query.Terms[i]], query.PrefixOnTerm(i)));
        }
        foreach (var phrase in query.Phrases.Where(p => p.Variants.Count > 0))
        {
            var slots = phrase.Variants[0];
            for (var k = 0; k < slots.Count; k++)
            {
                terms.Add(new([.. slots[k]], query.PrefixOnPhrase && phrase.Open && k == slots.Count - 1));
            }
        }
        return [.. terms.Where(t => t.Forms.Length > 0)
            .DistinctBy(t => string.Join(TextNormalizer.FormSeparator, t.Forms.Order(StringComparer.Ordinal)) + (t.Prefix ? "*" : ""))];
    }

    /// <summary>Each document's score, higher is better (0 when no term occurs).</summary>
    public static double[] Score(IReadOnlyList<(string Title, string Body)> documents, IReadOnlyList<Term> terms)
    {
        var n = documents.Count;
        var scores = new double[n];
        if (n == 0 || terms.Count == 0)
        {
            return scores;
        }
        var frequencies = new double[terms.Count, n];
        var lengths = new int[n];
        var found = new int[terms.Count];
        var starts = new List<int>();
        double total = 0;
        for (var d = 0; d < n; d++)
        {
            var (title, body) = documents[d];
            lengths[d] = FormSearch.Words(title) + FormSearch.Words(body);
            total += lengths[d];
            for (var t = 0; t < terms.Count; t++)
            {
                var frequency = TitleWeight * Occurrences(title, terms[t], starts) + Occurrences(body, terms[t], starts);
                frequencies[t, d] = frequency;
                found[t] += frequency > 0 ? 1 : 0;
            }
        }
        var average = Math.Max(1, total / n);
        for (var t = 0; t < terms.Count; t++)
        {
            var idf = Math.Log(1 + (n - found[t] + 0.5) / (found[t] + 0.5));
            for (var d = 0; d < n; d++)
            {
                var f = frequencies[t, d];
                if (f > 0)
                {
                    scores[d] += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * lengths[d] / average));
                }
            }
        }
        return scores;
    }

    /// <summary>How many words of <paramref name="text"/> have a form matching the term (found with a vectorized search).</summary>
    internal static int Occurrences(string text, Term term, List<int> starts)
    {
        starts.Clear();
        var span = text.AsSpan();
        foreach (var form in term.Forms)
        {
            for (var at = FormSearch.Find(span, form, term.Prefix, 0); at >= 0; at = FormSearch.Find(span, form, term.Prefix, at + form.Length))
            {
                var start = span[..at].LastIndexOf(' ') + 1;
                if (!starts.Contains(start))
                {
                    starts.Add(start);
                }
            }
        }
        return starts.Count;
    }
}
