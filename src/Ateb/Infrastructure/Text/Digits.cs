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
}
