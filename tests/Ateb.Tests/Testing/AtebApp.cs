using System.Net.Http.Headers;
using Ateb.Features.Agents;
using Ateb.Features.Tokens;
using Ateb.Features.Workspaces;
using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Testing;

/// <summary>
/// Ateb in-process on a fresh database (SQLite file or PostgreSQL database), schema from the real migrations.
/// One per test class (IClassFixture); tests isolate themselves by creating their own workspaces.
/// </summary>
public class AtebApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ateb-test-").FullName;
    private readonly (string Provider, string ConnectionString, Func<Task> Drop) _database;
    private int _workspaces;

    public AtebApp() => _database = TestDatabase.Create(_folder);

    public string Folder => _folder;

    public string ConnectionString => _database.ConnectionString;

    public string Provider => _database.Provider;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", _database.Provider);
        builder.UseSetting("ConnectionStrings:Ateb", _database.ConnectionString);
        builder.UseSetting("Database:StrictWriteGate", "true"); // a write that skips the SQLite write gate fails the test
        builder.UseSetting("Storage:Path", Path.Combine(_folder, "blobs"));
        builder.UseSetting("Webhooks:AllowPrivateNetwork", "true");
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
        builder.UseSetting("Outbox:BaseDelay", "00:00:00.200");
        builder.UseSetting("RateLimits:AuthPerMinute", "1000");
        // Every test client shares one (unknown) address; ChatRateLimitTests checks the limit itself.
        builder.UseSetting("RateLimits:ChatPerMinute", "1000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    // Starting the server runs the migrations; do it here so a broken schema fails the fixture, not the first test.
    public async ValueTask InitializeAsync() => await Task.Run(() => Server.Services.GetRequiredService<TimeProvider>());

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.Drop();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing background task; the OS temp cleaner gets it.
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>A new workspace with an owner, and an HTTP client authenticated as that owner.</summary>
    public async Task<TestWorkspace> CreateWorkspaceAsync(string? name = null)
    {
        var n = Interlocked.Increment(ref _workspaces);
        name ??= $"Workspace {n} {Guid.NewGuid():N}"[..30];
        var email = $"owner{n}-{Guid.NewGuid():N}"[..24] + "@test.example";
        await using var scope = Services.CreateAsyncScope();
        var (result, errors) = await scope.ServiceProvider.GetRequiredService<SetupWorkspace>()
            .HandleAsync(new SetupWorkspaceRequest(name, email, TestWorkspace.OwnerPassword, "Owner " + n), CancellationToken.None);
        Assert.True(result is not null, $"setup failed: {System.Text.Json.JsonSerializer.Serialize(errors.Problem().ProblemDetails)}");
        var workspace = new TestWorkspace(this, result!.WorkspaceId) { OwnerEmail = email };
        workspace.Owner = await workspace.ClientForAsync(result.OwnerAgentId, result.OwnerAccountId);
        workspace.OwnerAgentId = result.OwnerAgentId;
        return workspace;
    }

    /// <summary>Runs code against the database inside a workspace scope, as a background job would.</summary>
    internal async Task<T> WithDbAsync<T>(Guid workspaceId, Func<AtebDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        db.SeedsDirectly = true;
        return await work(db);
    }

    internal async Task<T> WithRawDbAsync<T>(Func<AtebDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        db.SeedsDirectly = true;
        return await work(db);
    }
}

public sealed class TestWorkspace(AtebApp app, Guid id)
{
    public Guid Id { get; } = id;
    public HttpClient Owner { get; set; } = null!;
    public Guid OwnerAgentId { get; set; }
    public string OwnerEmail { get; init; } = "";
    public const string OwnerPassword = "owner-password-1";

    /// <summary>A browser-like client signed in to this workspace with a cookie, as the owner.</summary>
    public async Task<HttpClient> SignInAsync(string? email = null, string password = OwnerPassword)
    {
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await browser.PostAsJsonAsync("/api/v1/auth/login", new { email = email ?? OwnerEmail, password, workspaceId = Id });
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        return browser;
    }

    /// <summary>Adds an agent with a role through the API and returns a client holding their token.</summary>
    public async Task<(HttpClient Client, Guid AgentId)> AddAgentAsync(Role role)
    {
        var email = $"agent-{Guid.NewGuid():N}@test.example";
        var response = await Owner.PostAsJsonAsync("/api/v1/agents", new { email, name = "Agent " + role, password = "agent-password-1", role = role.ToWire() });
        response.EnsureSuccessStatusCode();
        var agent = await response.Content.ReadFromJsonAsync<AgentResponse>(Json.Options);
        return (await ClientForAsync(agent!.Id, agent.AccountId), agent.Id);
    }

    public async Task<HttpClient> ClientForAsync(Guid membershipId, Guid accountId)
    {
        var token = await app.WithDbAsync(Id, async db =>
        {
            var handler = new CreateToken(db, TimeProvider.System);
            return await handler.HandleAsync(membershipId, accountId, "test", "test token", 30, CancellationToken.None);
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    internal Task<T> DbAsync<T>(Func<AtebDb, Task<T>> work) => app.WithDbAsync(Id, work);

    public Task<int> CountAsync<TEntity>() where TEntity : class => app.WithDbAsync(Id, db => db.Set<TEntity>().CountAsync());
}
