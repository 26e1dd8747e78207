using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ateb.Infrastructure.Web;

/// <summary>Custom fields and attributes: a flat JSON object of scalars with safe keys (they may become columns in exports).</summary>
public static partial class JsonAttributes
{
    public const int MaxKeys = 50;
    public const int MaxValueLength = 2000;

    /// <summary>Merges <paramref name="changes"/> into <paramref name="existing"/> (null removes a key); returns the JSON or null on error.</summary>
    public static string? Merge(string existing, JsonElement? changes, Check check, string field)
    {
        if (changes is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return existing;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            check.Add(field, "must be a JSON object.");
            return null;
        }
        var result = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(existing) ?? [];
        foreach (var property in element.EnumerateObject())
        {
            var path = $"{field}.{property.Name}";
            if (!KeyPattern().IsMatch(property.Name))
            {
                check.Add(path, "keys use letters, digits, '_', '-' or '.', at most 64 characters.");
                continue;
            }
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    result.Remove(property.Name);
                    break;
                case JsonValueKind.String when property.Value.GetString()!.Length > MaxValueLength:
                    check.Add(path, $"must be at most {MaxValueLength} characters.");
                    break;
                case JsonValueKind.String when property.Value.GetString()!.Contains('\0', StringComparison.Ordinal):
                    check.Add(path, "must not contain NUL characters.");
                    break;
                case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    result[property.Name] = property.Value.Clone();
                    break;
                default:
                    check.Add(path, "must be a string, number, boolean or null.");
                    break;
            }
        }
        check.When(result.Count > MaxKeys, field, $"must have at most {MaxKeys} keys.");
        return JsonSerializer.Serialize(result);
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex KeyPattern();
}
