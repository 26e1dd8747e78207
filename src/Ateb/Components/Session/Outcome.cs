using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Ateb.Components.Session;

/// <summary>A handler's typed result, unwrapped for a page: the value, or the problem's words to show beside the form.</summary>
public sealed record Outcome<T>(T? Value, string? Error, IReadOnlyDictionary<string, string[]> FieldErrors)
{
    public bool Ok => Error is null;
}

internal static class Outcomes
{
    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();

    public static Outcome<T> Unwrap<T>(this INestedHttpResult result) => From<T>(result.Result);

    public static Outcome<T> From<T>(IResult result) => result switch
    {
        IValueHttpResult<T> { Value: var value } and IStatusCodeHttpResult { StatusCode: < 400 } => new(value, null, Empty),
        ProblemHttpResult problem => Problem<T>(problem.ProblemDetails),
        ValidationProblem problem => Problem<T>(problem.ProblemDetails),
        IStatusCodeHttpResult { StatusCode: < 400 } => new(default, null, Empty),
        _ => new(default, "Something went wrong.", Empty),
    };

    private static Outcome<T> Problem<T>(ProblemDetails details)
    {
        IReadOnlyDictionary<string, string[]> fields = details is HttpValidationProblemDetails v ? v.Errors.AsReadOnly() : Empty;
        var words = fields.Count > 0
            ? string.Join(" ", fields.SelectMany(f => f.Value.Select(m => $"{f.Key} {m}")))
            : details.Detail is { Length: > 0 } detail ? Sentence(details.Title) is { } title ? $"{title} {detail}" : detail
            : details.Title ?? "Something went wrong.";
        return new(default, words, fields);
    }

    /// <summary>A title that is a sentence ("Too many attempts.") is said before the detail; a label ("Conflict", "Not found") is not.</summary>
    private static string? Sentence(string? title) => title is { Length: > 0 } && title.TrimEnd().EndsWith('.') ? title : null;
}
