using Ateb.Features.Chat;
using Ateb.Features.Workspaces;

namespace Ateb.Tests.Features.Chat;

[Trait("Db", "none")]
public sealed class ChatOriginsTests
{
    [Theory]
    [InlineData("https://example.com", "https://example.com")]
    [InlineData("HTTPS://WWW.Example.COM/", "https://www.example.com")]
    [InlineData("https://example.com:443", "https://example.com")]
    [InlineData("http://example.com:80", "http://example.com")]
    [InlineData("http://localhost:5173", "http://localhost:5173")]
    [InlineData("https://example.com:8443", "https://example.com:8443")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("  https://example.com  ", "https://example.com")]
    [InlineData("https://example.com/path", null)]
    [InlineData("https://example.com/a/", null)]
    [InlineData("https://*.example.com", null)]
    [InlineData("ftp://example.com", null)]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("example.com", null)]
    [InlineData("//example.com", null)]
    [InlineData("https://user:pw@example.com", null)]
    [InlineData("https://example.com?x", null)]
    [InlineData("https://example.com#x", null)]
    [InlineData("null", null)]
    [InlineData("", null)]
    public void Origins_are_compared_in_one_canonical_form(string given, string? expected) =>
        Assert.Equal(expected, ChatOrigins.Normalize(given));

    private static ChatSettingsSnapshot Settings(params string[] origins) =>
        new(Guid.NewGuid(), "shop", "Shop", "en", ["en"], BusinessHours.AlwaysOpen, TimeZoneInfo.Utc, true, "#000000", new Dictionary<string, string>(),
            origins, Ateb.Features.Chat.PreChatForm.None, 3, 10, 30, null, false, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Only_listed_origins_and_atebs_own_are_allowed()
    {
        var settings = Settings("https://shop.example", "http://localhost:5173");
        Assert.True(ChatOrigins.IsAllowed(settings, "https://shop.example"));
        Assert.True(ChatOrigins.IsAllowed(settings, "https://SHOP.example:443"));
        Assert.True(ChatOrigins.IsAllowed(settings, "http://localhost:5173"));
        Assert.False(ChatOrigins.IsAllowed(settings, "http://localhost:5174"));
        Assert.False(ChatOrigins.IsAllowed(settings, "http://shop.example"));
        Assert.False(ChatOrigins.IsAllowed(settings, "https://evil.shop.example"));
        Assert.False(ChatOrigins.IsAllowed(settings, "null"));
        Assert.True(ChatOrigins.IsAllowed(settings, "https://help.ateb.example", "https://help.ateb.example"));
        Assert.False(ChatOrigins.IsAllowed(settings, "https://help.ateb.example", "https://other.ateb.example"));
        // No Origin: not a browser acting for a page.
        Assert.True(ChatOrigins.IsAllowed(settings, (string?)null));
    }
}
