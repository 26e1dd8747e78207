using Ateb.Infrastructure.Search;

namespace Ateb.Tests.Infrastructure.Search;

/// <summary>The phrase model shared by both engines: query parsing and the matcher SQLite calls (PostgreSQL's rules).</summary>
public sealed class PhraseMatcherTests
{
    private static bool Matches(string title, string body, string query, bool typing = false)
    {
        var parsed = TextNormalizer.ParseQuery(query);
        return PhraseMatcher.Matches(TextNormalizer.IndexText(title), TextNormalizer.IndexText(body), PhraseMatcher.Spec(parsed.Phrases, typing && !parsed.EndsInQuote));
    }

    [Fact]
    public void Quotes_split_a_query_into_words_and_phrases()
    {
        var parsed = TextNormalizer.ParseQuery("refund \"reset the password\" «کسب و کار» the");
        Assert.Equal(["refund"], parsed.Terms.Select(t => t[0]));
        Assert.Equal(2, parsed.Phrases.Count);
        // Stopwords stay inside quotes.
        Assert.Equal(["reset", "the", "password"], parsed.Phrases[0].Variants[0].Select(slot => slot[0]));
        // «کسب و کار» may also be one joined word.
        Assert.Contains(parsed.Phrases[1].Variants, v => v.Count == 1 && v[0].Contains("کسبوکار"));
        Assert.False(parsed.EndsInQuote);
        Assert.True(TextNormalizer.ParseQuery("\"reset the password\"").EndsInQuote);
        Assert.True(TextNormalizer.ParseQuery("\"reset the pass").Phrases[0].Open);
        Assert.False(TextNormalizer.ParseQuery("\"reset\" pass").Phrases[0].Open);
        Assert.True(TextNormalizer.ParseQuery("\"\" « »").IsEmpty);
    }

    [Theory]
    [InlineData("reset the password", true)]
    [InlineData("password reset", false)]
    [InlineData("reset password", false)]
    [InlineData("the password", true)]
    public void Order_and_adjacency_decide(string phrase, bool expected) =>
        Assert.Equal(expected, Matches("", "Please reset the password now", $"\"{phrase}\""));

    [Theory]
    // The first word found as a whole form only: "reset" inside "preset" or "resetting" starts no phrase.
    [InlineData("preset the password", "\"reset the password\"", false)]
    [InlineData("resetting x the password reset the password", "\"reset the password\"", true)]
    // Any form of a word counts, wherever it stands among the word's forms (a stem, a Welsh radical).
    [InlineData("thanks again", "\"thank again\"", true)]
    [InlineData("mae ei gwsmeriaid yma", "\"nghwsmeriaid yma\"", true)]
    // The first word's later hits are tried too, and a phrase cannot run past the end of the text.
    [InlineData("order the order now", "\"order now\"", true)]
    [InlineData("the order", "\"order now\"", false)]
    public void The_first_word_is_found_in_place_and_the_rest_follow_it(string body, string query, bool expected) =>
        Assert.Equal(expected, Matches("", body, query));

    [Fact]
    public void An_open_phrase_ends_in_a_prefix_only_while_typing()
    {
        Assert.True(Matches("", "reset the password", "\"reset the pass", typing: true));
        Assert.False(Matches("", "reset the password", "\"reset the pass", typing: false));
    }

    [Fact]
    public void A_phrase_never_spans_the_title_and_the_body()
    {
        Assert.False(Matches("Reset your password", "Account settings", "\"password account\""));
        Assert.True(Matches("Reset your password", "Account settings", "\"your password\""));
        Assert.True(Matches("Reset your password", "Account settings", "\"account settings\""));
    }

    [Fact]
    public void Long_documents_follow_postgresql_limits()
    {
        // Positions stop at 16383: words after it share that position, so they are no longer adjacent to each other.
        var filler = string.Join(' ', Enumerable.Repeat("lorem", 16400));
        Assert.True(Matches("", "alpha beta " + filler, "\"alpha beta\""));
        Assert.False(Matches("", filler + " alpha beta", "\"alpha beta\""));
        // A form keeps its first 256 positions only.
        var pairs = string.Join(' ', Enumerable.Repeat("gamma delta", 300));
        Assert.True(Matches("", pairs, "\"gamma delta\""));
        Assert.False(Matches("", string.Join(' ', Enumerable.Repeat("gamma", 300)) + " gamma delta", "\"gamma delta\""));
    }
}
