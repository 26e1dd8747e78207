namespace Ateb.Infrastructure.Search;

/// <summary>
/// Finds a form in a search document's stored text (<see cref="TextNormalizer.IndexText"/>: words separated by spaces, a
/// word's forms by <see cref="TextNormalizer.FormSeparator"/>) with a vectorized search, as a whole form of some word or,
/// for a prefix, at the start of one.
/// </summary>
internal static class FormSearch
{
    public static bool IsBoundary(char c) => c is ' ' or TextNormalizer.FormSeparator;

    /// <summary>How many words the stored text holds (one space between words).</summary>
    public static int Words(string text) => text.Length == 0 ? 0 : text.AsSpan().Count(' ') + 1;

    /// <summary>The first index at or after <paramref name="from"/> where <paramref name="form"/> occurs as a form; -1 if none.</summary>
    public static int Find(ReadOnlySpan<char> text, ReadOnlySpan<char> form, bool prefix, int from)
    {
        if (form.IsEmpty)
        {
            return -1;
        }
        while (from < text.Length)
        {
            var at = text[from..].IndexOf(form, StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }
            at += from;
            var end = at + form.Length;
            if ((at == 0 || IsBoundary(text[at - 1])) && (prefix || end == text.Length || IsBoundary(text[end])))
            {
                return at;
            }
            from = end;
        }
        return -1;
    }
}
