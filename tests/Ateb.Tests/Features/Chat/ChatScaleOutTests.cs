using System.Diagnostics;
using System.Net.Http.Headers;
using Ateb.Features.Chat;
using Ateb.Features.Workspaces;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Chat;

/// <summary>
/// Two real Ateb processes sharing one database and one Redis (started by ./test.sh): a visitor on one node and an
/// agent on the other exchange messages in order over WebSockets; then the visitor's node is killed and started again
/// mid-chat, and the widget's client resyncs from the last message it saw with no gap and no duplicate.
/// </summary>
public sealed class ChatScaleOutTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ateb-scale-").FullName;
    private (string Provider, string ConnectionString, Func<Task> Drop) _database;
    private readonly Dictionary<int, Process> _nodes = [];
    private readonly int _visitorPort = FreePort();
    private readonly int _agentPort = FreePort();
    private readonly string? _redis = Environment.GetEnvironmentVariable("ATEB_TEST_REDIS");

    public ValueTask InitializeAsync()
    {
        _database = TestDatabase.Create(_folder);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_visitor_on_one_node_and_an_agent_on_another_talk_in_order_and_survive_a_node_restart()
    {
        Assert.SkipWhen(_redis is null, "ATEB_TEST_REDIS is not set: run ./test.sh, which starts a private Redis.");
        await RunVerbAsync("setup", "--workspace", "Scale Out", "--owner-email", "scale@example.com", "--owner-password", "scale-password");
        var token = (await RunVerbAsync("tokens", "create", "--email", "scale@example.com", "--name", "scale")).Trim();
        await Task.WhenAll(StartAsync(_visitorPort), StartAsync(_agentPort));

        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_agentPort}") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var slug = (await (await api.GetAsync("/api/v1/workspace")).ReadAsync<WorkspaceResponse>()).Slug;

        // The agent, on node B.
        var agent = new AgentClient
        {
            Connection = new HubConnectionBuilder()
                .WithUrl($"http://127.0.0.1:{_agentPort}/hubs/agent", o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.Headers["Authorization"] = "Bearer " + token;
                })
                .AddJsonProtocol(ChatTesting.Protocol).Build(),
        };
        agent.Connection.On<ChatOffer>("Offer", agent.Offers.Add);
        agent.Connection.On<ChatMessageView>("Message", agent.Messages.Add);
        await using var _ = agent;
        await agent.Connection.StartAsync();
        await agent.Connection.InvokeAsync<AgentSync>("Hello");
        await agent.Connection.InvokeAsync("SetAvailable", true);

        // The visitor, on node A, with a token from A's public endpoint.
        using var widget = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_visitorPort}") };
        var pass = await (await widget.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new VisitorRequest("Nia", null, null, null, "cy"))).ReadAsync<VisitorToken>();
        var visitor = new VisitorClient
        {
            Token = pass.Token,
            Connection = new HubConnectionBuilder()
                .WithUrl($"http://127.0.0.1:{_visitorPort}/hubs/chat?workspace={slug}", o => o.Transports = HttpTransportType.WebSockets)
                .WithAutomaticReconnect(new EveryHalfSecond())
                .AddJsonProtocol(ChatTesting.Protocol).Build(),
        };
        var seen = new List<ChatMessageView>();
        visitor.Connection.On<ChatMessageView>("Message", m =>
        {
            lock (seen)
            {
                seen.Add(m);
            }
            visitor.Messages.Add(m);
        });
        await using var __ = visitor;
        await visitor.Connection.StartAsync();
        await visitor.HelloAsync();

        var first = await visitor.SendAsync("Helo, mae gen i gwestiwn");
        var offer = await agent.Offers.NextAsync(o => o.ConversationId == first.Conversation.Id, seconds: 30);
        var chatId = offer.ConversationId;
        await agent.Connection.InvokeAsync<ChatDetail>("Accept", chatId);

        // Interleaved, each side waits for the other's message: in order across the two nodes.
        for (var i = 1; i <= 10; i++)
        {
            var v = await visitor.SendAsync($"visitor {i}");
            Assert.Equal(v.Message.Id, (await agent.Messages.NextAsync(m => m.Author == ChatAuthor.Visitor && m.Id == v.Message.Id)).Id);
            var a = await agent.SendAsync(chatId, $"agent {i}");
            Assert.Equal($"agent {i}", (await visitor.Messages.NextAsync(m => m.Author == ChatAuthor.Agent)).Text);
            Assert.Equal(a.Id, seen.Last(m => m.Author == ChatAuthor.Agent).Id);
        }

        // Node A (the visitor's) dies mid-chat; the agent keeps writing through node B.
        var reconnected = new TaskCompletionSource();
        visitor.Connection.Reconnected += _ =>
        {
            reconnected.TrySetResult();
            return Task.CompletedTask;
        };
        Kill(_visitorPort);
        var missed = new List<Guid>();
        for (var i = 1; i <= 3; i++)
        {
            missed.Add((await agent.SendAsync(chatId, $"while you were away {i}")).Id);
        }
        await StartAsync(_visitorPort);
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Guid lastSeen;
        lock (seen)
        {
            lastSeen = seen.Last().Id;
        }
        var resync = await visitor.HelloAsync(lastSeen);
        Assert.Equal(missed, resync.Messages.Where(m => m.Author == ChatAuthor.Agent).Select(m => m.Id).ToList());

        // Everything the visitor holds now (live plus resync), de-duplicated by id as the widget does, is exactly the
        // conversation as stored, in order.
        List<Guid> held;
        lock (seen)
        {
            Assert.Equal(seen.Select(m => m.Id).Distinct().Count(), seen.Count);
            held = [.. seen.Concat(resync.Messages).Select(m => m.Id).Distinct()];
        }
        var stored = (await visitor.HelloAsync()).Messages.Select(m => m.Id).ToList();
        Assert.Equal(stored, held);
        var after = await visitor.SendAsync("Diolch!");
        Assert.Equal(after.Message.Id, (await agent.Messages.NextAsync(m => m.Id == after.Message.Id)).Id);
    }

    private sealed class EveryHalfSecond : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.ElapsedTime < TimeSpan.FromSeconds(60) ? TimeSpan.FromMilliseconds(500) : null;
    }

    private ProcessStartInfo StartInfo(int port, params string[] args) => AtebProcess.StartInfo(_folder, _database, new Dictionary<string, string>
    {
        ["Urls"] = $"http://127.0.0.1:{port}",
        ["Redis__Connection"] = _redis ?? "",
        ["Chat__RouterTick"] = "00:00:00.200",
        ["Chat__Heartbeat"] = "00:00:01",
        ["Chat__SendsPerWindow"] = "100",
        ["RateLimits__AuthPerMinute"] = "1000",
        ["RateLimits__PublicPerMinute"] = "1000",
    }, args);

    private async Task<string> RunVerbAsync(params string[] args)
    {
        var (code, output, errors) = await AtebProcess.RunAsync(StartInfo(0, args));
        Assert.True(code == 0, $"{string.Join(' ', args)} failed: {errors}");
        return output;
    }

    private async Task StartAsync(int port)
    {
        var process = Process.Start(StartInfo(port))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _nodes[port] = process;
        using var probe = new HttpClient();
        for (var i = 0; i < 150; i++)
        {
            try
            {
                if ((await probe.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("Ateb did not start within 30 s.");
    }

    private void Kill(int port)
    {
        var process = _nodes[port];
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        _nodes.Remove(port);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _nodes.Values.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        await _database.Drop();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a node's file still closing
        }
    }
}
