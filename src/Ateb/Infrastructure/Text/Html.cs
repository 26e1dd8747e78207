using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Ateb.Infrastructure.Text;

/// <summary>Allowlist sanitizing for any HTML a customer or agent sends, and a plain-text rendering of it.</summary>
public static partial class Html
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();
    private static readonly HtmlSanitizer InboundSanitizer = CreateInboundSanitizer();

    /// <summary>Class put on quoted history and signatures in received mail: the reader shows them folded.</summary>
    public const string FoldClass = "ateb-fold";

    // Where mail clients put quoted history and signatures.
    private const string QuoteSelector = "blockquote, .gmail_quote, .gmail_signature, .moz-cite-prefix, .moz-signature, #divRplyFwdMsg, #appendonsend, "
        + "#Signature, .yahoo_quoted, .protonmail_quote, div[data-marker='__QUOTED_TEXT__']";

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

    /// <summary>
    /// Sanitizes HTML someone sent us: as Sanitize, plus remote images (tracking pixels) are not loaded (their address moves to
    /// data-remote-src for the reader to load on request), <c>cid:</c> images point at the stored attachment, and quoted
    /// history and signatures are marked with <see cref="FoldClass"/>.
    /// </summary>
    public static string SanitizeReceived(string html, Func<string, string?>? inlineImage, out bool remoteImagesBlocked)
    {
        using var document = InboundSanitizer.SanitizeDom(html);
        remoteImagesBlocked = false;
        foreach (var image in document.QuerySelectorAll("img"))
        {
            var src = image.GetAttribute("src")?.Trim() ?? "";
            if (src.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
            {
                var contentId = Uri.UnescapeDataString(src[4..]).Trim('<', '>', ' ');
                if (inlineImage?.Invoke(contentId) is { } local)
                {
                    image.SetAttribute("src", local);
                }
                else
                {
                    image.RemoveAttribute("src");
                }
            }
            else if (src.Length > 0)
            {
                image.SetAttribute("data-remote-src", src);
                image.RemoveAttribute("src");
                remoteImagesBlocked = true;
            }
            image.RemoveAttribute("srcset");
        }
        foreach (var quote in document.QuerySelectorAll(QuoteSelector))
        {
            if (quote.ParentElement?.Closest("." + FoldClass) is null)
            {
                quote.ClassList.Add(FoldClass);
            }
        }
        return document.Body?.InnerHtml ?? "";
    }

    private static HtmlSanitizer CreateInboundSanitizer()
    {
        var sanitizer = CreateSanitizer();
        // CSS can load remote images too; those properties go, so opening a mail never tells the sender it was read.
        foreach (var property in new[] { "background", "background-image", "list-style", "list-style-image", "border-image", "border-image-source", "content", "cursor" })
        {
            sanitizer.AllowedCssProperties.Remove(property);
        }
        sanitizer.AllowedAttributes.Remove("background");
        return sanitizer;
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
