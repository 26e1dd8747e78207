using Ateb.Components.Session;

namespace Ateb.Components;

/// <summary>An input of a form, as a refused submit's alert names it: the input's id (to link to) and its visible label.</summary>
public sealed record FormField(string Id, string Label);

/// <summary>One line of the alert: what the field is called on the form, and what is wrong with it.</summary>
public sealed record ProblemLine(string? InputId, string Label, string Message);

/// <summary>
/// A refused submit, for the alert beside its form. The API names fields by their wire names ("email", "imap.port");
/// the form knows what it calls them, so each message is shown under the label the agent sees and links to the input.
/// </summary>
public sealed record FormProblem(string Message, IReadOnlyDictionary<string, string[]> Fields)
{
    public static FormProblem? Of<T>(Outcome<T> outcome) => outcome.Ok ? null : new(outcome.Error!, outcome.FieldErrors);

    public static FormProblem Say(string message) => new(message, new Dictionary<string, string[]>());

    /// <summary>Whether the problem is about this field (wire name, any case): for aria-invalid.</summary>
    public bool Names(string field) => Fields.Keys.Any(k => string.Equals(k, field, StringComparison.OrdinalIgnoreCase));

    /// <summary>"true" when the field is named, else null (no attribute): <c>aria-invalid="@problem?.Invalid("email")"</c>.</summary>
    public string? Invalid(string field) => Names(field) ? "true" : null;

    /// <summary>
    /// One line per message. Fields the form knows keep its label and order; fields it does not know (say "$", or a nested
    /// name) keep their wire name, after the others. With no field named, the problem's own words are the one line.
    /// </summary>
    public IReadOnlyList<ProblemLine> Lines(IReadOnlyDictionary<string, FormField> form)
    {
        if (Fields.Count == 0)
        {
            return [new ProblemLine(null, "", Message)];
        }
        var known = new Dictionary<string, (int Order, FormField Field)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, field) in form)
        {
            known.TryAdd(name, (known.Count, field));
        }
        return [.. Fields
            .Select(f => (Known: known.TryGetValue(f.Key, out var k) ? k : ((int, FormField)?)null, f.Key, f.Value))
            .OrderBy(f => f.Known?.Item1 ?? int.MaxValue)
            .SelectMany(f => f.Value.Select(message => f.Known is { } k
                ? new ProblemLine(k.Item2.Id, k.Item2.Label, message)
                : new ProblemLine(null, f.Key == "$" ? "" : f.Key, message)))];
    }
}
