using System.Text;
using Ateb.Infrastructure.Text;

namespace Ateb.Features.Kb;

/// <summary>
/// Which files an article may have, decided from their bytes rather than what the browser claims: PNG, JPEG, GIF and
/// WebP images (shown inline), PDF and zip-based office documents (recognised by their signature), and plain text and
/// CSV (by extension). SVG, HTML and other active content are refused: served from our own origin they could run script.
/// </summary>
internal static class KbFileTypes
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxPerArticle = 50;
    public const int MaxNameLength = 120;

    /// <summary>The bytes <see cref="Detect"/> needs to see.</summary>
    public const int HeadLength = 16;

    private static readonly HashSet<string> Images = ["image/png", "image/jpeg", "image/gif", "image/webp"];
    private static readonly HashSet<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".gif", ".webp"];
    private static readonly HashSet<string> Active = [".svg", ".svgz", ".html", ".htm", ".xhtml", ".xht", ".xml", ".js", ".mjs", ".xsl", ".swf"];

    private static readonly Dictionary<string, string> Zipped = new(StringComparer.Ordinal)
    {
        [".zip"] = "application/zip",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [".odt"] = "application/vnd.oasis.opendocument.text",
        [".ods"] = "application/vnd.oasis.opendocument.spreadsheet",
        [".odp"] = "application/vnd.oasis.opendocument.presentation",
    };

    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        [".txt"] = "text/plain", [".csv"] = "text/csv", [".md"] = "text/markdown", [".log"] = "text/plain",
    };

    public static bool IsImage(string contentType) => Images.Contains(contentType);

    public const string Accepted = "PNG, JPEG, GIF or WebP images, PDF, text, CSV, zip and office documents (docx, xlsx, pptx, odt, ods, odp)";

    /// <summary>The content type to store and serve, or the reason the file is refused.</summary>
    public static (string? ContentType, string? Error) Detect(string fileName, ReadOnlySpan<byte> head)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (Active.Contains(extension))
        {
            return (null, extension.StartsWith(".svg", StringComparison.Ordinal)
                ? "is an SVG image, which can carry scripts; export it as PNG or WebP."
                : $"is a {extension} file, which a browser could run; accepted are {Accepted}.");
        }
        if (ImageType(head) is { } image)
        {
            return (image, null);
        }
        if (ImageExtensions.Contains(extension))
        {
            return (null, "is not a PNG, JPEG, GIF or WebP image (its content says otherwise).");
        }
        if (extension == ".pdf")
        {
            return head.StartsWith("%PDF-"u8) ? ("application/pdf", null) : (null, "is not a PDF (its content does not start like one).");
        }
        if (Zipped.TryGetValue(extension, out var zipped))
        {
            return head.StartsWith("PK\x03\x04"u8) ? (zipped, null) : (null, $"is not a {extension} document (its content is not a zip archive).");
        }
        if (Texts.TryGetValue(extension, out var text))
        {
            return head.StartsWith("<"u8) && LooksLikeMarkup(head) ? (null, "looks like HTML, which a browser could run.") : (text, null);
        }
        return (null, $"is not a type articles accept: {Accepted}.");
    }

    private static string? ImageType(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8) ? "image/gif"
        : head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;

    private static bool LooksLikeMarkup(ReadOnlySpan<byte> head)
    {
        var start = Encoding.ASCII.GetString(head).ToLowerInvariant();
        return start.StartsWith("<!doctype", StringComparison.Ordinal) || start.StartsWith("<html", StringComparison.Ordinal)
            || start.StartsWith("<svg", StringComparison.Ordinal) || start.StartsWith("<script", StringComparison.Ordinal) || start.StartsWith("<?xml", StringComparison.Ordinal);
    }

    /// <summary>
    /// A name that can be written in Markdown and a URL as it is: the uploaded name without its path, spaces and
    /// characters Markdown or URLs treat specially turned into "-", letters of any script kept, extension lower-cased.
    /// </summary>
    public static string MarkdownName(string? uploaded)
    {
        var clean = FileNames.Sanitize(uploaded);
        var extension = Path.GetExtension(clean).ToLowerInvariant();
        extension = extension.Length is > 1 and <= 10 && extension[1..].All(char.IsAsciiLetterOrDigit) ? extension : "";
        var stem = extension.Length == 0 ? clean : clean[..^extension.Length];
        var name = new StringBuilder();
        foreach (var c in stem)
        {
            var keep = char.IsLetterOrDigit(c) || c is '_' or '.' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
                or System.Globalization.UnicodeCategory.SpacingCombiningMark || c == '\u200C';
            if (keep)
            {
                name.Append(c);
            }
            else if (name.Length > 0 && name[^1] != '-')
            {
                name.Append('-');
            }
        }
        var result = name.ToString().Trim('-', '.');
        if (result.Length == 0)
        {
            result = "file";
        }
        return Truncate.ToLength(result, MaxNameLength - extension.Length, "").TrimEnd('-', '.') + extension;
    }

    /// <summary>"name.png", then "name-2.png", "name-3.png"... the first not taken.</summary>
    public static string Unique(string name, IReadOnlySet<string> taken)
    {
        if (!taken.Contains(name))
        {
            return name;
        }
        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        for (var n = 2; ; n++)
        {
            var suffix = "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var candidate = Truncate.ToLength(stem, MaxNameLength - extension.Length - suffix.Length, "") + suffix + extension;
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }
}
