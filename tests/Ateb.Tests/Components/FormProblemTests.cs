using Ateb.Components;
using Ateb.Components.Session;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Ateb.Tests.Components;

public sealed class FormProblemTests
{
    private static readonly Dictionary<string, FormField> Form = new()
    {
        ["email"] = new("agent-email", "Email"),
        ["password"] = new("agent-password", "Initial password"),
    };

    private static FormProblem Fields(params (string Field, string Message)[] errors) =>
        FormProblem.Of(Outcomes.From<object>(Ateb.Infrastructure.Web.Problems.Validation(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))))!;

    [Fact]
    public void Each_message_is_under_the_forms_own_label_in_the_forms_order_linked_to_its_input()
    {
        var problem = Fields(("password", "Passwords must be at least 8 characters."), ("email", "is not a valid email address."));

        Assert.Equal(
            [new ProblemLine("agent-email", "Email", "is not a valid email address."), new ProblemLine("agent-password", "Initial password", "Passwords must be at least 8 characters.")],
            problem.Lines(Form));
        Assert.Equal("true", problem.Invalid("EMAIL"));
        Assert.Null(problem.Invalid("name"));
    }

    [Fact]
    public void Fields_the_form_does_not_know_keep_their_wire_name_after_the_known_ones_and_the_whole_request_has_none()
    {
        var problem = Fields(("imap.port", "must be between 1 and 65535."), ("$", "Something about the whole request."), ("email", "is required."));

        var lines = problem.Lines(Form);

        Assert.Equal(new ProblemLine("agent-email", "Email", "is required."), lines[0]);
        Assert.Contains(new ProblemLine(null, "imap.port", "must be between 1 and 65535."), lines);
        Assert.Contains(new ProblemLine(null, "", "Something about the whole request."), lines);
    }

    [Fact]
    public void A_problem_without_fields_is_one_line_of_its_own_words_and_a_label_title_is_not_repeated()
    {
        var conflict = FormProblem.Of(Outcomes.From<object>(Ateb.Infrastructure.Web.Problems.Conflict("A team with this name already exists.")))!;
        Assert.Equal([new ProblemLine(null, "", "A team with this name already exists.")], conflict.Lines(Form));

        var throttled = Outcomes.From<object>(TypedResults.Problem(statusCode: 429, title: "Too many attempts.", detail: "Try again later."));
        Assert.Equal("Too many attempts. Try again later.", throttled.Error);

        Assert.Null(FormProblem.Of(Outcomes.From<object>(TypedResults.NoContent())));
    }

    [Fact]
    public void Names_inside_a_sentence_are_isolated_so_they_keep_their_own_direction()
    {
        Assert.Equal("\u2068پشتیبانی\u2069", Bidi.Isolate("پشتیبانی"));
        Assert.Equal("\u2068\u2069", Bidi.Isolate(null));
    }
}
