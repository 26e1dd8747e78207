namespace Ateb.E2E.Testing;

/// <summary>
/// One Ateb (demo workspace) for the whole run, shared by every test: it takes seconds to start. Tests that need a
/// server of their own (other settings, a second process) start one with <see cref="AtebServer.StartAsync"/> or
/// <see cref="AtebServer.StartAnotherAsync"/> and dispose it themselves.
/// </summary>
public sealed class AtebServerFixture : IAsyncLifetime
{
    private AtebServer? _server;

    public AtebServer Server => _server ?? throw new InvalidOperationException("The shared Ateb server has not started.");

    // Every test signs in as one of five demo agents, most as the owner: more than the ten sign-ins per address in fifteen
    // minutes a real server allows (RateLimits:LoginPerEmail), which is not what these tests are about.
    public async ValueTask InitializeAsync() => _server = await AtebServer.StartAsync(new AtebServerOptions
    {
        Name = "shared", Environment = new Dictionary<string, string> { ["RateLimits__LoginPerEmail"] = "1000" },
    });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
