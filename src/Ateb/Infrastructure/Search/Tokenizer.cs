using System.Globalization;
using System.Text;

namespace Ateb.Infrastructure.Search;

internal enum Script : byte
{
    Number,
    Latin,
    Arabic,
    Other,
}

/// <summary>Raw-text clues for language detection, lost once the word is folded.</summary>
[Flags]
internal enum Clues : byte
{
    None = 0,
    /// <summary>پ چ ژ گ: letters Arabic does not have.</summary>
    PersianLetter = 1,
    /// <summary>ی or ک as Persian keyboards type them.</summary>
    PersianKeyboard = 2,
    /// <summary>ة or ى: Arabic spelling.</summary>
    ArabicLetter = 4,
    /// <summary>ي or ك as Arabic keyboards type them (Arabic text, or Persian typed on an Arabic keyboard).</summary>
    ArabicKeyboard = 8,
    /// <summary>ŵ or ŷ.</summary>
    WelshLetter = 16,
}

/// <summary>
/// One word of a text, folded. <see cref="Text"/> has no ZWNJ; when the word had ZWNJs between Arabic-script letters,
/// <see cref="Parts"/> holds the pieces they separated («کسب‌وکار»: Text کسبوکار, Parts کسب, وکار).
/// </summary>
/// <param name="Adjacent">Only spaces or ZWNJs (no punctuation, no line break) separate it from the previous word.</param>
internal readonly record struct Word(string Text, string[]? Parts, Script Script, bool Adjacent, int Line, Clues Clues);

/// <summary>
/// Splits NFKC-normalized, folded text into words: runs of letters, digits and combining marks. Anything else separates,
/// and so does a change between Arabic-script letters and other letters or digits («مسافت۹» is two words, «mp3» one).
/// A ZWNJ between Arabic-script letters splits the word into parts; elsewhere it separates like a space.
/// </summary>
internal static class Tokenizer
{
    private const string Bismillah = "\uFDFD";

    public static List<Word> Words(string text)
    {
        var words = new List<Word>();
        if (string.IsNullOrEmpty(text))
        {
            return words;
        }
        var source = WellFormed(text);
        source = source.IsNormalized(NormalizationForm.FormKC) ? source : source.Normalize(NormalizationForm.FormKC);
        if (source.Contains(Bismillah, StringComparison.Ordinal))
        {
            // The one Arabic ligature of words that NFKC leaves alone (ﷺ and ﷲ it spells out).
            source = source.Replace(Bismillah, " بسم الله الرحمن الرحیم ", StringComparison.Ordinal);
        }
        var state = new State(words);
        Span<char> folded = stackalloc char[4];
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
            {
                state.Rune(new Rune(c, source[++i]));
                continue;
            }
            var length = CharFolding.Fold(c, folded);
            for (var k = 0; k < length; k++)
            {
                state.Feed(folded[k]);
            }
            state.Clue(c);
        }
        state.Flush();
        return words;
    }

    /// <summary>Lone surrogates (broken decoding) as U+FFFD, a separator: normalization would throw on them.</summary>
    private static string WellFormed(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }
        char[]? copy = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                (copy ??= text.ToCharArray())[i] = '\uFFFD';
            }
        }
        return copy is null ? text : new string(copy);
    }

    private enum Kind : byte
    {
        Separator,
        Space,
        Break,
        Letter,
        ArabicLetter,
        Digit,
        Mark,
        Zwnj,
    }

    private static Kind KindOf(char c)
    {
        if (char.IsAsciiLetterLower(c))
        {
            return Kind.Letter;
        }
        if (char.IsAsciiDigit(c))
        {
            return Kind.Digit;
        }
        switch (c)
        {
            case ' ' or '\t':
                return Kind.Space;
            case '\n' or '\r' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029':
                return Kind.Break;
            case CharFolding.Zwnj:
                return Kind.Zwnj;
        }
        return char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter =>
                c is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\u08A0' and <= '\u08FF' ? Kind.ArabicLetter : Kind.Letter,
            UnicodeCategory.DecimalDigitNumber => Kind.Digit,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Kind.Mark,
            UnicodeCategory.SpaceSeparator => Kind.Space,
            _ => Kind.Separator,
        };
    }

    private sealed class State(List<Word> words)
    {
        private char[] _word = new char[64];
        private int _length;
        private List<int>? _cuts;
        private bool _arabic;
        private int _run;
        private bool _latin;
        private bool _letter;
        private bool _pendingZwnj;
        private bool _cleanGap;
        private bool _adjacent;
        private int _line;
        private Clues _clues;

        /// <summary>Called after the character was fed, so the clue goes to the word it is part of.</summary>
        public void Clue(char c) => _clues |= _length == 0 ? Clues.None : c switch
        {
            '\u067E' or '\u0686' or '\u0698' or '\u06AF' => Clues.PersianLetter,
            '\u06CC' or '\u06A9' => Clues.PersianKeyboard,
            '\u0629' or '\u0649' => Clues.ArabicLetter,
            '\u064A' or '\u0643' => Clues.ArabicKeyboard,
            'ŵ' or 'ŷ' or 'Ŵ' or 'Ŷ' => Clues.WelshLetter,
            _ => Clues.None,
        };

        public void Rune(Rune rune)
        {
            var category = System.Text.Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                || System.Text.Rune.IsLetter(rune))
            {
                if (_length > 0 && (_arabic || _pendingZwnj))
                {
                    Flush();
                }
                Start(false);
                Span<char> chars = stackalloc char[2];
                var length = System.Text.Rune.ToLowerInvariant(rune).EncodeToUtf16(chars);
                Append(chars[0]);
                if (length > 1)
                {
                    Append(chars[1]);
                }
                _letter = true;
            }
            else
            {
                Separate(false);
            }
        }

        public void Feed(char c)
        {
            switch (KindOf(c))
            {
                case Kind.ArabicLetter:
                    if (_length > 0 && !_arabic)
                    {
                        Flush();
                    }
                    if (_pendingZwnj && _length > 0)
                    {
                        (_cuts ??= []).Add(_length);
                        _run = 0;
                    }
                    _pendingZwnj = false;
                    Start(true);
                    // A letter stretched for emphasis (خیییییلی, اعلاممممم) counts once: no Persian or Arabic word has one
                    // letter three times running.
                    _run = _run > 0 && _word[_length - 1] == c ? _run + 1 : 1;
                    if (_run == 3)
                    {
                        _length--;
                    }
                    else if (_run < 3)
                    {
                        Append(c);
                    }
                    break;
                case Kind.Letter or Kind.Digit:
                    if (_length > 0 && (_arabic || _pendingZwnj))
                    {
                        Flush();
                    }
                    Start(false);
                    Append(c);
                    _latin |= c is >= 'a' and <= 'z' || (c is >= '\u00C0' and <= '\u024F' && char.IsLetter(c));
                    _letter |= !char.IsAsciiDigit(c) && char.IsLetter(c);
                    break;
                case Kind.Mark:
                    if (_length > 0)
                    {
                        Append(c);
                    }
                    break;
                case Kind.Zwnj:
                    _pendingZwnj = _length > 0;
                    break;
                case Kind.Space:
                    Flush();
                    break;
                case Kind.Break:
                    Separate(c == '\n');
                    break;
                default:
                    Separate(false);
                    break;
            }
        }

        private void Append(char c)
        {
            if (_length == _word.Length)
            {
                Array.Resize(ref _word, _length * 2);
            }
            _word[_length++] = c;
        }

        private void Start(bool arabic)
        {
            if (_length == 0)
            {
                _adjacent = words.Count > 0 && _cleanGap;
                _arabic = arabic;
                _run = 0;
            }
        }

        private void Separate(bool newLine)
        {
            Flush();
            _cleanGap = false;
            if (newLine)
            {
                _line++;
            }
        }

        public void Flush()
        {
            _pendingZwnj = false;
            if (_length == 0)
            {
                _clues = Clues.None;
                return;
            }
            _cleanGap = true;
            var text = new string(_word, 0, _length);
            string[]? parts = null;
            if (_cuts is { Count: > 0 })
            {
                parts = new string[_cuts.Count + 1];
                var from = 0;
                for (var i = 0; i < _cuts.Count; i++)
                {
                    parts[i] = text[from.._cuts[i]];
                    from = _cuts[i];
                }
                parts[^1] = text[from..];
                _cuts.Clear();
            }
            var script = _arabic ? Script.Arabic : _latin ? Script.Latin : _letter ? Script.Other : Script.Number;
            words.Add(new Word(text, parts, script, _adjacent, _line, _clues));
            _length = 0;
            _arabic = _latin = _letter = false;
            _clues = Clues.None;
        }
    }
}
