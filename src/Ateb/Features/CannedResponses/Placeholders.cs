using System.Text;
using System.Text.RegularExpressions;

namespace Ateb.Features.CannedResponses;

/// <summary>
/// Fills <c>{{customer.first_name}}</c>-style placeholders in a canned response. <c>{{name | fallback}}</c> uses the
/// fallback when the value is empty. One pass: a value that itself contains braces is never expanded again.
/// </summary>
public static partial class Placeholders
{
    public static readonly IReadOnlyList<string> Known =
    [
        "customer.first_name", "customer.name", "customer.email", "ticket.number", "ticket.subject", "agent.name", "agent.first_name", "workspace.name",
    ];

    /// <summary>Placeholders a template uses that do not exist, as written ("{{customer.firstname}}"); an unclosed "{{" counts too.</summary>
    public static IReadOnlyList<string> Unknown(string? template)
    {
        if (string.IsNullOrEmpty(template))
        {
            return [];
        }
        var unknown = Placeholder().Matches(template).Where(m => !Known.Contains(Name(m))).Select(m => m.Value).Distinct().ToList();
        if (Placeholder().Replace(template, "").Contains("{{", StringComparison.Ordinal))
        {
            unknown.Add("{{");
        }
        return unknown;
    }

    /// <param name="values">By placeholder name; a missing or blank value renders as the fallback, or as nothing.</param>
    public static string Render(string template, IReadOnlyDictionary<string, string?> values) =>
        Placeholder().Replace(template, m =>
        {
            var value = values.GetValueOrDefault(Name(m));
            return string.IsNullOrWhiteSpace(value) ? m.Groups["fallback"].Value.Trim() : value;
        });

    /// <summary>The first word of a name («محمد رضایی» → «محمد», "Siân Lloyd" → "Siân"); empty for an address or a number standing in for a name.</summary>
    public static string FirstName(string? name)
    {
        var first = name?.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return first.Contains('@', StringComparison.Ordinal) || !first.Any(char.IsLetter) ? "" : first.Normalize(NormalizationForm.FormC);
    }

    private static string Name(Match m) => m.Groups["name"].Value.Trim().ToLowerInvariant();

    [GeneratedRegex(@"\{\{(?<name>[^{}|]*)(\|(?<fallback>[^{}]*))?\}\}", RegexOptions.None, 1000)]
    private static partial Regex Placeholder();
}
