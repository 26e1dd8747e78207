namespace Ateb.Components;

/// <summary>
/// Text written by people (a name, a subject) put inside a translated sentence: isolated (U+2068 … U+2069) so a Persian
/// name in an English sentence, or the reverse, keeps its own direction and does not carry the punctuation around it.
/// In markup, <c>&lt;bdi&gt;</c> does this; inside one string, these characters do.
/// </summary>
public static class Bidi
{
    public static string Isolate(string? text) => $"\u2068{text}\u2069";
}
