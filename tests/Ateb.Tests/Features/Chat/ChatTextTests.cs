using Ateb.Features.Chat;
using Ateb.Features.Chat.Pages;
using Microsoft.Extensions.Localization;

namespace Ateb.Tests.Features.Chat;

/// <summary>How the workspace cuts chat text into escaped text and links, and words the system lines it stores in English.</summary>
[Trait("Db", "none")]
public sealed class ChatTextTests
{
    [Fact]
    public void Web_addresses_become_links_and_the_sentence_around_them_stays_text()
    {
        var parts = ChatText.Parts("See https://shop.example/orders/17. Or www.example.org, (https://x.example/a_(b)) ok");
        Assert.Equal(
            [("See ", null), ("https://shop.example/orders/17", "https://shop.example/orders/17"), (". Or ", null),
             ("www.example.org", "https://www.example.org"), (", (", null), ("https://x.example/a_(b)", "https://x.example/a_(b)"), (") ok", null)],
            parts.Select(p => (p.Text, p.Href)));
        Assert.Equal("See https://shop.example/orders/17. Or www.example.org, (https://x.example/a_(b)) ok", string.Concat(parts.Select(p => p.Text)));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("<a href=\"https://evil.example\">x</a>")]
    [InlineData("mail me at me@www.example.org")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    public void Nothing_but_http_addresses_is_a_link(string text)
    {
        var parts = ChatText.Parts(text);
        Assert.All(parts.Where(p => p.Href is not null), p => Assert.StartsWith("http", p.Href!, StringComparison.Ordinal));
        Assert.DoesNotContain(parts, p => p.Href is { } h && (h.Contains('"', StringComparison.Ordinal) || h.Contains('<', StringComparison.Ordinal)));
        Assert.Equal(text, string.Concat(parts.Select(p => p.Text)));
    }

    [Fact]
    public void Persian_punctuation_after_an_address_is_not_part_of_it()
    {
        var parts = ChatText.Parts("کد پیگیری: https://shop.example/t/17، ممنون؟");
        Assert.Equal("https://shop.example/t/17", Assert.Single(parts, p => p.Href is not null).Href);
    }

    [Fact]
    public void System_lines_are_said_in_the_agents_language()
    {
        var l = new Words();
        Assert.Equal("[{0} joined the chat.|Sara]", ChatWords.System(l, "Sara joined the chat."));
        Assert.Equal("[The chat has ended.]", ChatWords.System(l, "The chat has ended."));
        Assert.Equal("Something else", ChatWords.System(l, "Something else"));
        Assert.Equal("[This chat no longer exists.]", ChatWords.Error(l, ChatException.NotFound));
    }

    /// <summary>A localizer that shows which key was asked for.</summary>
    private sealed class Words : IStringLocalizer
    {
        public LocalizedString this[string name] => new(name, $"[{name}]");

        public LocalizedString this[string name, params object[] arguments] => new(name, $"[{name}|{string.Join(",", arguments)}]");

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
    }
}
