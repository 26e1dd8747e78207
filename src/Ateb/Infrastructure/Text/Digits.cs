namespace Ateb.Infrastructure.Text;

public static class Digits
{
    /// <summary>Folds Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII; leaves everything else alone.</summary>
    public static string ToAscii(string value)
    {
        if (!value.AsSpan().ContainsAnyInRange('\u0660', '\u06F9'))
        {
            return value;
        }
        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c switch
                {
                    >= '\u0660' and <= '\u0669' => (char)('0' + (c - '\u0660')),
                    >= '\u06F0' and <= '\u06F9' => (char)('0' + (c - '\u06F0')),
                    _ => c,
                };
            }
        });
    }

    /// <summary>ASCII digits as Persian digits (۰-۹): .NET formats numbers with ASCII digits whatever the culture.</summary>
    public static string ToPersian(string value) => Shift(value, '\u06F0');

    /// <summary>ASCII digits as Arabic-Indic digits (٠-٩).</summary>
    public static string ToArabicIndic(string value) => Shift(value, '\u0660');

    private static string Shift(string value, char zero) => string.Create(value.Length, (value, zero), static (span, state) =>
    {
        for (var i = 0; i < state.value.Length; i++)
        {
            var c = state.value[i];
            span[i] = c is >= '0' and <= '9' ? (char)(state.zero + (c - '0')) : c;
        }
    });
}
