using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ateb.Tests.Components;

/// <summary>
/// Every string the agent workspace shows through the localizer (<c>L["..."]</c>, English is the key) has a Persian,
/// Arabic and Welsh translation in Resources/Components.Ui.{fa,ar,cy}.resx, with the same {0} placeholders.
/// </summary>
public sealed partial class UiStringsTests
{
    public static TheoryData<string> Languages => ["fa", "ar", "cy"];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_workspace_string_is_translated(string language)
    {
        var keys = UsedKeys();
        Assert.True(keys.Count > 100, $"only {keys.Count} strings found: is the scan looking in the right place?");
        var translations = Translations(language);
        var missing = keys.Where(k => !translations.TryGetValue(k, out var v) || string.IsNullOrWhiteSpace(v)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} strings have no {language} translation:\n" + string.Join('\n', missing));
        var broken = keys.Where(k => translations.TryGetValue(k, out var v) && !Placeholders(k).SetEquals(Placeholders(v!))).ToList();
        Assert.True(broken.Count == 0, $"{language} translations with other placeholders than their key:\n" + string.Join('\n', broken));
    }

    private static HashSet<string> UsedKeys()
    {
        var root = Path.Combine(Testing.Corpora.RepositoryRoot() ?? throw new InvalidOperationException("repository not found"), "src", "Ateb");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
                     .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                         && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            foreach (Match m in Key().Matches(File.ReadAllText(file)))
            {
                keys.Add(Regex.Unescape(m.Groups[1].Value));
            }
        }
        return keys;
    }

    private static Dictionary<string, string?> Translations(string language)
    {
        var path = Path.Combine(Testing.Corpora.RepositoryRoot()!, "src", "Ateb", "Resources", $"Components.Ui.{language}.resx");
        Assert.True(File.Exists(path), $"{path} is missing");
        return XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value"), StringComparer.Ordinal);
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex("""\b[Ll]\["((?:[^"\\]|\\.)*)"[\],]""")]
    private static partial Regex Key();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
