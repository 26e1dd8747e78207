namespace Ateb.Infrastructure.Text;

public static class FileNames
{
    /// <summary>
    /// A display name that is safe to show and to put in Content-Disposition: no path, no control or bidi
    /// override characters (which disguise "exe.pdf" as "fdp.exe"), at most 255 characters.
    /// </summary>
    public static string Sanitize(string? name)
    {
        var last = (name ?? "").Replace('\\', '/').Split('/').LastOrDefault() ?? "";
        var clean = new string(last.Where(c => !char.IsControl(c) && !IsBidiControl(c)).ToArray()).Trim().Trim('.');
        if (clean.Length == 0)
        {
            return "attachment";
        }
        if (clean.Length <= 255)
        {
            return clean;
        }
        var extension = Path.GetExtension(clean);
        extension = extension.Length is > 0 and <= 20 ? extension : "";
        return Truncate.ToLength(clean[..^extension.Length], 255 - extension.Length, "") + extension;
    }

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}
