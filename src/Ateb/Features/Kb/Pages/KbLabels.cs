using Ateb.Infrastructure.Text;
using Microsoft.Extensions.Localization;

namespace Ateb.Features.Kb.Pages;

/// <summary>What the knowledge-base pages show for states, kinds, languages and names given per language.</summary>
internal static class KbLabels
{
    /// <summary>The languages offered first when adding a translation or a name; any other BCP-47 tag may be typed.</summary>
    public static readonly string[] Offered = ["en", "fa", "ar", "cy"];

    public static string State(this IStringLocalizer l, KbState state) => state == KbState.Published ? l["Published"] : l["Draft"];

    public static string Kind(this IStringLocalizer l, KbArticleKind kind) => kind == KbArticleKind.Faq ? l["FAQ entry"] : l["Article"];

    /// <summary>The language's own name ("فارسی", "Cymraeg"), the tag itself when the runtime does not know it.</summary>
    public static string LanguageName(string tag) => HelpCenter.LanguageName(tag);

    /// <summary>The translation in the agent's language (or another of the same base language), else the first one.</summary>
    public static KbTranslationResponse? Preferred(this KbArticleResponse article, string language) =>
        article.Translations.FirstOrDefault(t => t.Language == language)
        ?? article.Translations.FirstOrDefault(t => LanguageTags.Primary(t.Language) == LanguageTags.Primary(language))
        ?? article.Translations.FirstOrDefault();

    /// <summary>A category's name in the agent's language, else its first name, with the language it is in.</summary>
    public static KbNameInput Name(this KbCategoryResponse category, string language) =>
        category.Names.FirstOrDefault(n => n.Language == language)
        ?? category.Names.FirstOrDefault(n => n.Language is { } tag && LanguageTags.Primary(tag) == LanguageTags.Primary(language))
        ?? category.Names.FirstOrDefault()
        ?? new KbNameInput(language, "?", null);

    /// <summary>Categories in order, each followed by its sections: for pickers and lists.</summary>
    public static IEnumerable<(KbCategoryResponse Category, bool IsSection)> Tree(IReadOnlyList<KbCategoryResponse> categories)
    {
        foreach (var top in categories.Where(c => c.ParentId is null))
        {
            yield return (top, false);
            foreach (var section in categories.Where(c => c.ParentId == top.Id))
            {
                yield return (section, true);
            }
        }
        // A section whose parent is gone (should not happen) is still listed.
        var ids = categories.Select(c => c.Id).ToHashSet();
        foreach (var orphan in categories.Where(c => c.ParentId is { } p && !ids.Contains(p)))
        {
            yield return (orphan, true);
        }
    }
}
