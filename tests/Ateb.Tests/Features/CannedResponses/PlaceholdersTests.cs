using Ateb.Features.CannedResponses;

namespace Ateb.Tests.Features.CannedResponses;

[Trait("Db", "none")]
public sealed class PlaceholdersTests
{
    private static readonly Dictionary<string, string?> Values = new()
    {
        ["customer.first_name"] = "محمد",
        ["customer.name"] = "محمد رضایی",
        ["customer.email"] = "m.rezaei@example.ir",
        ["ticket.number"] = "42",
        ["ticket.subject"] = "Refund {{agent.name}}",
        ["agent.name"] = "Siân Lloyd",
        ["agent.first_name"] = "Siân",
        ["workspace.name"] = "Acme",
        // customer.email missing for some customers: absent and blank behave alike
    };

    public static TheoryData<string, string> RenderCases => new()
    {
        { "Hi {{customer.first_name}},", "Hi محمد," },
        { "Dear {{ customer.name }}", "Dear محمد رضایی" },
        { "Ticket #{{ticket.number}}: {{ticket.subject}}", "Ticket #42: Refund {{agent.name}}" },
        { "{{agent.first_name}} from {{workspace.name}}", "Siân from Acme" },
        { "Hello {{customer.first_name | there}}", "Hello محمد" },
        { "Reply to {{customer.email}}", "Reply to m.rezaei@example.ir" },
        { "No placeholders at all", "No placeholders at all" },
        { "{{CUSTOMER.NAME}}", "محمد رضایی" },
        { "a { single } brace", "a { single } brace" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(RenderCases))]
    public void Placeholders_are_filled_once_and_values_are_never_expanded_again(string template, string expected) =>
        Assert.Equal(expected, Placeholders.Render(template, Values));

    public static TheoryData<string, string> FallbackCases => new()
    {
        { "Hi {{customer.first_name | there}}!", "Hi there!" },
        { "Hi {{customer.first_name|there}}!", "Hi there!" },
        { "Hi {{customer.first_name | my friend }}!", "Hi my friend!" },
        { "Hi {{customer.first_name}}!", "Hi !" },
        { "Write to {{customer.email | us}}", "Write to us" },
        { "سلام {{customer.first_name | دوست عزیز}}", "سلام دوست عزیز" },
    };

    [Theory]
    [MemberData(nameof(FallbackCases))]
    public void The_fallback_is_used_when_the_value_is_empty(string template, string expected) =>
        Assert.Equal(expected, Placeholders.Render(template, new Dictionary<string, string?> { ["customer.first_name"] = " ", ["customer.email"] = null }));

    public static TheoryData<string, string[]> UnknownCases => new()
    {
        { "Hi {{customer.first_name}} {{ticket.number}}", [] },
        { "Hi {{customer.firstname}}", ["{{customer.firstname}}"] },
        { "Hi {{ customer.phone | x }} and {{customer.phone | x }}", ["{{ customer.phone | x }}", "{{customer.phone | x }}"] },
        { "Hi {{}}", ["{{}}"] },
        { "Hi {{customer.name", ["{{"] },
        { "Hi {{ticket.subject}} and {{agent.nickname}}", ["{{agent.nickname}}"] },
        { "plain }} braces", [] },
    };

    [Theory]
    [MemberData(nameof(UnknownCases))]
    public void Unknown_and_unclosed_placeholders_are_reported_as_written(string template, string[] unknown) =>
        Assert.Equal(unknown, Placeholders.Unknown(template));

    [Theory]
    [InlineData("محمد رضایی", "محمد")]
    [InlineData("  فاطمة   الزهراء  ", "فاطمة")]
    [InlineData("Siân Lloyd", "Siân")]
    [InlineData("Madonna", "Madonna")]
    [InlineData("علی\u00a0اکبری", "علی")]
    [InlineData("bob@example.com", "")]
    [InlineData("+989121234567", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void A_first_name_is_the_first_word(string? name, string expected) => Assert.Equal(expected, Placeholders.FirstName(name));
}
