using Microsoft.AspNetCore.Http.HttpResults;

namespace Ateb.Infrastructure.Web;

/// <summary>
/// Collects field errors for a request and turns them into one RFC 7807 problem (422) naming each field.
/// Kept explicit rather than attribute-driven so limits, NUL bytes and cross-field rules read in one place.
/// </summary>
public sealed class Check
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Ok => _errors.Count == 0;

    public Check Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
        return this;
    }

    /// <summary>Length in UTF-16 units; NUL is refused because PostgreSQL text cannot hold it and it is never meaningful.</summary>
    public Check Text(string field, string? value, int max, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Add(field, "is required.") : this;
        }
        if (value.Length > max)
        {
            return Add(field, $"must be at most {max} characters (got {value.Length}).");
        }
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return Add(field, "must not contain NUL characters.");
        }
        return this;
    }

    public Check Count<T>(string field, IReadOnlyCollection<T>? items, int max) =>
        items is not null && items.Count > max ? Add(field, $"must have at most {max} items (got {items.Count}).") : this;

    /// <summary>IANA ids only ("Asia/Tehran"); .NET also accepts Windows ids, which we do not store.</summary>
    public Check TimeZone(string field, string? value) =>
        value is null || (TimeZoneInfo.TryFindSystemTimeZoneById(value, out var zone) && zone.HasIanaId && !value.Contains(' ', StringComparison.Ordinal))
            ? this
            : Add(field, "is not a known IANA time zone such as Europe/London or Asia/Tehran.");

    public Check When(bool failed, string field, string message) => failed ? Add(field, message) : this;

    public ProblemHttpResult Problem() => Problems.Validation(
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
