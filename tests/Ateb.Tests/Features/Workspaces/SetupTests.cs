using System.Diagnostics;
using Ateb.Features.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Workspaces;

/// <summary>Alone in its class: it needs a database with no workspace.</summary>
public sealed class SetupLinkTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task The_setup_link_works_once_and_setup_is_gone_after_a_workspace_exists()
    {
        var link = app.Services.GetRequiredService<SetupLink>();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/setup?token=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/setup", new { token = link.Token })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/setup", new StringContent("token=" + link.Token))).StatusCode);
        var page = await client.GetAsync($"/setup?token={link.Token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Create workspace", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var bad = await client.PostAsync("/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = link.Token, ["workspace"] = "Siop", ["email"] = "not-an-email", ["password"] = "long-enough-1",
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);

        var done = await client.PostAsync("/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = link.Token, ["workspace"] = "Siop Gymraeg", ["name"] = "Nia", ["email"] = "nia@siop.cymru", ["password"] = "long-enough-1",
        }));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/setup?token={link.Token}")).StatusCode);
        var replay = await client.PostAsync("/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = link.Token, ["workspace"] = "Evil", ["email"] = "evil@example.com", ["password"] = "long-enough-1",
        }));
        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
    }

}

public sealed class SetupWorkspaceTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Setup_is_idempotent()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var setup = scope.ServiceProvider.GetRequiredService<SetupWorkspace>();
        var first = (await setup.HandleAsync(new SetupWorkspaceRequest("Idem", "idem@example.com", "password-123"), default)).Result!;
        var second = (await setup.HandleAsync(new SetupWorkspaceRequest("Idem", "idem@example.com", "password-123"), default)).Result!;
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.WorkspaceId, second.WorkspaceId);
        Assert.Equal(first.OwnerAgentId, second.OwnerAgentId);
    }
}

/// <summary>The admin verbs, run as the README runs them: the real binary against a real database.</summary>
public sealed class AdminVerbTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ateb-cli-").FullName;
    private (string Provider, string ConnectionString, Func<Task> Drop) _database;

    public ValueTask InitializeAsync()
    {
        _database = TestDatabase.Create(_folder);
        return ValueTask.CompletedTask;
    }

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        AtebProcess.RunAsync(AtebProcess.StartInfo(_folder, _database, new Dictionary<string, string>(), args));

    [Fact]
    public async Task Setup_tokens_and_seed_demo_work_from_the_command_line()
    {
        var setup = await RunAsync("setup", "--workspace", "Acme", "--owner-email", "owner@acme.test", "--owner-password", "password-123");
        Assert.True(setup.Code == 0, setup.Err);
        var again = await RunAsync("setup", "--workspace", "Acme", "--owner-email", "owner@acme.test", "--owner-password", "password-123");
        Assert.Equal(0, again.Code);
        Assert.Contains("Already set up", again.Out, StringComparison.Ordinal);

        var add = await RunAsync("agents", "add", "--workspace", "Acme", "--email", "helper@acme.test", "--role", "agent", "--password", "helper-pass-1");
        Assert.True(add.Code == 0, add.Err);
        Assert.Equal(2, (await RunAsync("agents", "add", "--workspace", "Nowhere", "--email", "helper@acme.test", "--role", "agent")).Code);
        var token = await RunAsync("tokens", "create", "--email", "owner@acme.test", "--name", "ci");
        Assert.Equal(0, token.Code);
        Assert.StartsWith("ateb_", token.Out.Trim(), StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("setup", "--workspace", "Beta", "--owner-email", "owner@acme.test", "--owner-password", "password-123")).Code);
        var ambiguous = await RunAsync("tokens", "create", "--email", "owner@acme.test", "--name", "ci");
        Assert.Equal(2, ambiguous.Code);
        Assert.Contains("--workspace", ambiguous.Err, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("tokens", "create", "--email", "owner@acme.test", "--name", "ci", "--workspace", "Beta")).Code);

        var bad = await RunAsync("setup", "--workspace", "Gamma", "--owner-email", "nope", "--owner-password", "password-123");
        Assert.Equal(2, bad.Code);
        Assert.Contains("ownerEmail", bad.Err, StringComparison.Ordinal);

        var demo = await RunAsync("seed-demo");
        Assert.True(demo.Code == 0, demo.Err);
        Assert.Equal(0, (await RunAsync("seed-demo")).Code);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.Drop();
        Directory.Delete(_folder, recursive: true);
    }
}
