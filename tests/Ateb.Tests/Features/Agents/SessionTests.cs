using Ateb.Features.Agents;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Agents;

public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}

public sealed class ClockApp : AtebApp
{
    public ManualClock Clock { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class SessionTests(ClockApp app) : IClassFixture<ClockApp>
{
    [Fact]
    public async Task A_cookie_session_outlives_the_security_stamp_check_and_expires_after_seven_idle_days()
    {
        var ws = await app.CreateWorkspaceAsync();
        var browser = await ws.SignInAsync();
        foreach (var later in new[] { TimeSpan.FromMinutes(31), TimeSpan.FromHours(5), TimeSpan.FromDays(3) })
        {
            app.Clock.Now += later;
            var me = await browser.GetAsync("/api/v1/auth/me");
            Assert.True(me.StatusCode == HttpStatusCode.OK, $"after {later}: {(int)me.StatusCode}");
            Assert.Equal(ws.Id, (await me.ReadAsync<MeResponse>()).WorkspaceId);
        }
        app.Clock.Now += TimeSpan.FromDays(8);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
    }
}
