using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Ateb.Infrastructure.Text;

/// <summary>Allowlist sanitizing for any HTML a customer or agent sends, and a plain-text rendering of it.</summary>
public static partial class Html
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>More tags than any real message has; such markup is not parsed at all.</summary>
    public const int MaxTags = 10_000;

    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    public static bool IsTooComplex(string html) => html.AsSpan().Count('<') > MaxTags;

    public static string StripTags(string html) => System.Net.WebUtility.HtmlDecode(TagPattern().Replace(html, " ")).Trim();

    [System.Text.RegularExpressions.GeneratedRegex("<[^>]*>")]
    private static partial System.Text.RegularExpressions.Regex TagPattern();

    public static string ToText(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        return (document.Body?.TextContent ?? "").Trim();
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto", "tel", "cid"]);
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedAttributes.Add("dir");
        sanitizer.AllowedAttributes.Add("lang");
        return sanitizer;
    }
}
