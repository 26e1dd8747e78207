using Ateb.Features.Webhooks;

namespace Ateb.Tests.Features.Webhooks;

[Trait("Db", "none")]
public sealed class UrlGuardTests
{
    [Theory]
    [InlineData("https://hooks.example.com/ateb", true)]
    [InlineData("http://203.0.113.10:8080/x", true)]
    [InlineData("http://127.0.0.1:6379/", false)]
    [InlineData("http://127.1/", false)]
    [InlineData("http://2130706433/", false)]
    [InlineData("http://0x7f.1/", false)]
    [InlineData("http://localhost/", false)]
    [InlineData("http://intranet/", false)]
    [InlineData("http://169.254.169.254/latest/meta-data", false)]
    [InlineData("http://10.0.0.5/", false)]
    [InlineData("http://172.16.0.1/", false)]
    [InlineData("http://192.168.1.1/", false)]
    [InlineData("http://100.64.0.1/", false)]
    [InlineData("http://0.0.0.0/", false)]
    [InlineData("http://[::1]/", false)]
    [InlineData("http://[::ffff:127.0.0.1]/", false)]
    [InlineData("http://[fd00::1]/", false)]
    [InlineData("http://[fe80::1]/", false)]
    [InlineData("http://app.localhost/", false)]
    [InlineData("gopher://example.com/", false)]
    [InlineData("file:///etc/passwd", false)]
    public void Private_and_odd_targets_are_refused(string url, bool allowed) =>
        Assert.Equal(allowed, UrlGuard.ValidateUrl(url, allowPrivate: false) is null);

    [Fact]
    public async Task The_connection_check_refuses_a_name_that_resolves_to_loopback()
    {
        using var client = new HttpClient(WebhookSender.Handler(allowPrivate: false));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://localhost:9/"));
        Assert.Contains("private", error.Message, StringComparison.Ordinal);
    }
}
