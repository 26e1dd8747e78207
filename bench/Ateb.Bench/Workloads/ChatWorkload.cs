using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ateb.Bench.Hosting;
using Ateb.Bench.Load;
using Ateb.Features.Agents;
using Ateb.Features.Chat;
using Ateb.Features.Tokens;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Bench.Workloads;

/// <summary>
/// Live chat (issue 7). Delivery: N conversations, each a visitor on /hubs/chat and an agent on /hubs/agent (WebSockets,
/// the .NET SignalR client, all connections in this process), each side sending one message every interval; the
/// latency of a message is from the sender's Send invocation to the other side's Message callback, on this process's
/// clock. Reference: a bare SignalR hub (<see cref="EchoHub"/>) on the same transport, protocol, message shape, number of
/// connections and rate, delivering through a group, measured in the same run. Every message must arrive once and in
/// order. Idle: M widget connections that said Hello and wait; the server's resident memory before and after, against
/// the bare hub holding the same number of connections.
/// </summary>
internal sealed class ChatWorkload(BenchSettings settings, Report report)
{
    /// <summary>The most the chat settings allow; the agent count follows from it.</summary>
    private const int ChatsPerAgent = 20;

    /// <summary>A typical chat line.</summary>
    private const int TextLength = 80;

    private static readonly Action<JsonHubProtocolOptions> Protocol = o =>
        o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));

    /// <summary>1,000 at the default size of 100,000; smaller with --size.</summary>
    public int Conversations => settings.ChatConversations ?? Math.Clamp(settings.Size / 100, 2, 100_000);

    /// <summary>10,000 at the default size.</summary>
    public int IdleConnections => settings.ChatIdle ?? Math.Clamp(settings.Size / 10, 10, 1_000_000);

    /// <summary>Each side of each conversation sends one message this often.</summary>
    private TimeSpan Interval => TimeSpan.FromSeconds(settings.ChatInterval ?? (settings.IsSmoke ? 1.5 : 20));

    private TimeSpan Warmup => settings.IsSmoke ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(Math.Max(20, settings.Duration.TotalSeconds));

    private TimeSpan Measure => settings.IsSmoke ? TimeSpan.FromSeconds(1.5) : TimeSpan.FromSeconds(Math.Max(30, settings.Duration.TotalSeconds));

    /// <summary>Agents: enough that the conversations fill them to about 5/6 of the allowed 20 chats each.</summary>
    private int Agents => (int)Math.Ceiling(Conversations * 1.2 / ChatsPerAgent);

    public async Task RunAsync(BenchDatabase database, bool delivery = true, bool idle = true)
    {
        var agents = await AgentTokensAsync(database, Agents);
        var environment = new Dictionary<string, string>(database.AtebEnvironment())
        {
            // Thousands of visitor tokens from one address in a minute: the widget's per-address limit is for the public internet.
            ["RateLimits__ChatPerMinute"] = "100000000",
        };
        var slug = await SlugAsync(database);
        var runs = new List<(ExchangeResult Ateb, ExchangeResult Echo)>();
        var memory = new List<(double Ateb, double Echo)>();
        for (var run = 0; run < settings.Runs; run++)
        {
            if (delivery)
            {
                ExchangeResult ateb;
                await using (var server = await ServerProcess.StartAsync(Databases.AtebDll, [], environment, "/health", core: 1))
                {
                    if (run == 0)
                    {
                        await ConfigureAsync(server.BaseUrl, database.Token);
                    }
                    await using var rig = await AtebRig.StartAsync(server.BaseUrl, slug, agents, Conversations);
                    ateb = await ExchangeAsync("Ateb", rig, server);
                    await rig.EndAllAsync();
                }
                ExchangeResult echo;
                await using (var server = await ServerProcess.StartAsync(typeof(ChatWorkload).Assembly.Location, ["refserver", "signalr"], new Dictionary<string, string>(), "/health", core: 1))
                {
                    await using var rig = await EchoRig.StartAsync(server.BaseUrl, Agents, Conversations);
                    echo = await ExchangeAsync("bare SignalR hub", rig, server);
                }
                runs.Add((ateb, echo));
            }
            if (idle)
            {
                double atebMb;
                await using (var server = await ServerProcess.StartAsync(Databases.AtebDll, [], environment, "/health", core: 1))
                {
                    if (run == 0 && !delivery)
                    {
                        await ConfigureAsync(server.BaseUrl, database.Token);
                    }
                    atebMb = await IdleAsync("Ateb", server, slug, token => AtebRig.IdleVisitorAsync(server.BaseUrl, slug, token));
                }
                double echoMb;
                await using (var server = await ServerProcess.StartAsync(typeof(ChatWorkload).Assembly.Location, ["refserver", "signalr"], new Dictionary<string, string>(), "/health", core: 1))
                {
                    echoMb = await IdleAsync("bare SignalR hub", server, null, token => EchoRig.IdleAsync(server.BaseUrl, token));
                }
                memory.Add((atebMb, echoMb));
            }
        }

        if (delivery)
        {
            var label = $"{Conversations:N0} conversations, 1 msg/{Interval.TotalSeconds:0.#} s each way";
            foreach (var (direction, name) in new[] { (0, "visitor -> agent"), (1, "agent -> visitor") })
            {
                var r = runs.OrderBy(x => x.Ateb.P99(direction)).ElementAt(settings.Runs / 2);
                var (p99, echo99) = (r.Ateb.P99(direction), r.Echo.P99(direction));
                report.Add(new("chat", $"{name} delivery p50 ({label})", "ms", r.Ateb.Latencies[direction].Percentile(50), "bare SignalR hub p50", r.Echo.Latencies[direction].Percentile(50), "", null));
                report.Add(new("chat", $"{name} delivery p95 ({label})", "ms", r.Ateb.Latencies[direction].Percentile(95), "bare SignalR hub p95", r.Echo.Latencies[direction].Percentile(95), "", null));
                report.Add(new("chat", $"{name} delivery p99 ({label})", "ms", p99, "bare SignalR hub p99", echo99,
                    $"<= 50 ms and <= hub + 30 ms (+{Report.F(p99 - echo99)})", p99 <= 50 && p99 - echo99 <= 30));
            }
            var c = runs.OrderBy(x => x.Ateb.CpuPerMessage).ElementAt(settings.Runs / 2);
            report.Add(new("chat", "server CPU per message", "ms", c.Ateb.CpuPerMessage, "bare SignalR hub", c.Echo.CpuPerMessage, "", null));
            var failures = runs.Sum(r => r.Ateb.Failures + r.Echo.Failures);
            if (failures > 0)
            {
                Console.WriteLine($"  chat: {failures} messages failed, lost, duplicated or out of order");
                Workloads.AddFailures(failures);
            }
        }
        if (idle)
        {
            var m = memory.OrderBy(x => x.Ateb).ElementAt(settings.Runs / 2);
            report.Add(new("chat", $"{IdleConnections:N0} idle widget connections: extra memory", "MB", m.Ateb, "bare SignalR hub, same connections", m.Echo,
                $"<= 1024 MB ({Report.F(m.Ateb * 1024 / IdleConnections)} KB a connection)", m.Ateb <= 1024));
        }
    }

    // ------------------------------------------------------------------ delivery

    private async Task<ExchangeResult> ExchangeAsync(string name, IChatRig rig, ServerProcess server)
    {
        var n = Conversations;
        var interval = Interval;
        var total = Warmup + Measure;
        var slots = (int)(total / interval) + 2;
        var tracker = new ChatTracker(n, slots);
        rig.Received = tracker.Receive;
        var filler = new string('x', TextLength);
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
        var measureFrom = start + (long)(Warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(Measure.TotalSeconds * Stopwatch.Frequency);
        tracker.Window = (measureFrom, end);
        tracker.WorstBySecond = new double[(int)Math.Ceiling(Measure.TotalSeconds)];
        var cpu = 0.0;
        var cpuTask = Task.Run(async () =>
        {
            await DelayUntil(measureFrom);
            cpu = server.CpuMs();
            await DelayUntil(end);
            cpu = server.CpuMs() - cpu;
        });
        // One loop per conversation and side: sends at start + phase + k * interval, one at a time, never after the end.
        var loops = new List<Task>(2 * n);
        for (var c = 0; c < n; c++)
        {
            for (var d = 0; d < 2; d++)
            {
                var (conversation, direction) = (c, d);
                var phase = (long)((interval.TotalSeconds * c / n + d * interval.TotalSeconds / 2) * Stopwatch.Frequency);
                loops.Add(Task.Run(async () =>
                {
                    var due = start + phase;
                    for (var seq = 0; seq < slots && due < end; seq++, due += (long)(interval.TotalSeconds * Stopwatch.Frequency))
                    {
                        await DelayUntil(due);
                        var text = $"{conversation} {direction} {seq} ";
                        text += filler[..(TextLength - text.Length)];
                        tracker.Sent[conversation, direction][seq] = Stopwatch.GetTimestamp();
                        try
                        {
                            await rig.SendAsync(conversation, direction, $"b{conversation}-{direction}-{seq}", text);
                            tracker.Ok[conversation, direction][seq] = true;
                        }
                        catch (Exception e)
                        {
                            if (Interlocked.Increment(ref tracker.SendErrors) <= 3)
                            {
                                Console.WriteLine($"  chat {name}: send failed: {e.GetType().Name}: {e.Message}");
                            }
                        }
                    }
                }));
            }
        }
        await Task.WhenAll(loops);
        await cpuTask;
        // Let the last messages arrive (bounded).
        var drain = Stopwatch.StartNew();
        while (tracker.Missing() > 0 && drain.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
        }
        var result = tracker.Result(cpu);
        Console.WriteLine($"  chat {name}: {tracker.Delivered:N0} messages delivered ({result.Latencies[0].Count + result.Latencies[1].Count:N0} measured); "
            + $"visitor->agent p50 {Report.F(result.Latencies[0].Percentile(50))} p99 {Report.F(result.P99(0))} ms, agent->visitor p50 {Report.F(result.Latencies[1].Percentile(50))} p99 {Report.F(result.P99(1))} ms; "
            + $"server CPU {Report.F(result.CpuPerMessage)} ms a message; send errors {tracker.SendErrors}, lost {tracker.Missing()}, duplicates {tracker.Duplicates}, out of order {tracker.OutOfOrder}; "
            + $"load average {LoadAverage()}");
        Console.WriteLine($"  chat {name}: slowest delivery of each measured second, ms: {string.Join(' ', tracker.WorstBySecond.Select(w => w.ToString("0", CultureInfo.InvariantCulture)))}");
        return result;
    }

    private static async Task DelayUntil(long timestamp)
    {
        var wait = Latencies.Ms(Stopwatch.GetTimestamp(), timestamp);
        if (wait > 0.5)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait));
        }
    }

    private interface IChatRig : IAsyncDisposable
    {
        /// <summary>Called for every Message a connection receives, with the direction it listens to (0: an agent, 1: a visitor).</summary>
        Action<ChatMessageView, int> Received { set; }

        Task SendAsync(int conversation, int direction, string clientId, string text);
    }

    private static HubConnection Connect(string url, Action<HttpConnectionOptions>? configure = null) =>
        new HubConnectionBuilder()
            .WithUrl(url, o =>
            {
                // WebSockets straight away (no negotiate round trip), for Ateb and the reference alike.
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                configure?.Invoke(o);
            })
            .AddJsonProtocol(Protocol)
            .Build();

    /// <summary>Runs <paramref name="work"/> for 0..count-1, <paramref name="concurrency"/> at a time.</summary>
    private static async Task ForEachAsync(int count, int concurrency, Func<int, Task> work)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await work(i);
            }
        })));
    }

    /// <summary>Ateb: agents on /hubs/agent who accept every offer, visitors on /hubs/chat who each start a chat.</summary>
    private sealed class AtebRig : IChatRig
    {
        private readonly List<HubConnection> _agents = [];
        private HubConnection[] _visitors = [];
        private Guid[] _chats = [];
        private int[] _agentOf = [];
        private Action<ChatMessageView, int> _received = (_, _) => { };

        public Action<ChatMessageView, int> Received { set => _received = value; }

        public static async Task<AtebRig> StartAsync(string baseUrl, string slug, IReadOnlyList<string> agentTokens, int conversations)
        {
            var rig = new AtebRig();
            var stopwatch = Stopwatch.StartNew();
            var accepted = new System.Collections.Concurrent.ConcurrentDictionary<Guid, int>();
            var refused = 0;
            for (var a = 0; a < agentTokens.Count; a++)
            {
                var agent = a;
                var token = agentTokens[a];
                var connection = Connect($"{baseUrl}/hubs/agent", o => o.Headers["Authorization"] = "Bearer " + token);
                connection.On<ChatMessageView>("Message", m =>
                {
                    if (m.Author == ChatAuthor.Visitor)
                    {
                        rig._received(m, 0);
                    }
                });
                connection.On<ChatOffer>("Offer", offer => _ = Task.Run(async () =>
                {
                    try
                    {
                        await connection.InvokeAsync<ChatDetail>("Accept", offer.ConversationId);
                        accepted[offer.ConversationId] = agent;
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref refused); // withdrawn meanwhile: the router offers it again
                    }
                }));
                rig._agents.Add(connection);
            }
            await ForEachAsync(rig._agents.Count, 16, async a =>
            {
                await rig._agents[a].StartAsync();
                await rig._agents[a].InvokeAsync<AgentSync>("Hello");
                await rig._agents[a].InvokeAsync("SetAvailable", true);
            });

            var tokens = await VisitorTokensAsync(baseUrl, slug, conversations);
            rig._visitors = new HubConnection[conversations];
            rig._chats = new Guid[conversations];
            rig._agentOf = new int[conversations];
            await ForEachAsync(conversations, 32, async i =>
            {
                var connection = Connect($"{baseUrl}/hubs/chat?workspace={slug}");
                connection.On<ChatMessageView>("Message", m =>
                {
                    if (m.Author == ChatAuthor.Agent)
                    {
                        rig._received(m, 1);
                    }
                });
                rig._visitors[i] = connection;
                await connection.StartAsync();
                await connection.InvokeAsync<VisitorSync>("Hello", new HelloRequest(tokens[i], null, "en"));
            });
            // Chats start 25 at a time, each batch taken before the next (every accept tells each waiting visitor their new place).
            const int batch = 25;
            for (var from = 0; from < conversations; from += batch)
            {
                var count = Math.Min(batch, conversations - from);
                await ForEachAsync(count, 32, async k =>
                {
                    var i = from + k;
                    var sent = await rig._visitors[i].InvokeAsync<ChatSendResult>("Send", new VisitorSendRequest($"start-{i}", "Hello, I have a question about my order.", "https://shop.example/cart", "Cart"));
                    rig._chats[i] = sent.Conversation.Id;
                });
                var deadline = Stopwatch.StartNew();
                while (Enumerable.Range(from, count).Any(i => !accepted.ContainsKey(rig._chats[i])))
                {
                    if (deadline.Elapsed > TimeSpan.FromMinutes(2))
                    {
                        throw new TimeoutException($"chat: agents did not get {Enumerable.Range(from, count).Count(i => !accepted.ContainsKey(rig._chats[i]))} of the chats {from}..{from + count} within 2 minutes");
                    }
                    await Task.Delay(50);
                }
            }
            for (var i = 0; i < conversations; i++)
            {
                rig._agentOf[i] = accepted[rig._chats[i]];
            }
            var loads = rig._agentOf.GroupBy(a => a).Select(g => g.Count()).ToList();
            Console.WriteLine($"  chat Ateb: {conversations:N0} conversations with {agentTokens.Count} agents ({loads.Min()}..{loads.Max()} chats each) in {stopwatch.Elapsed.TotalSeconds:0.0} s; {refused} accepts refused");
            return rig;
        }

        public Task SendAsync(int conversation, int direction, string clientId, string text) => direction == 0
            ? _visitors[conversation].InvokeAsync<ChatSendResult>("Send", new VisitorSendRequest(clientId, text, null, null))
            : _agents[_agentOf[conversation]].InvokeAsync<ChatMessageView>("Send", _chats[conversation], new AgentSendRequest(clientId, text, false));

        /// <summary>The visitors end their chats, so that the next run's agents start free.</summary>
        public async Task EndAllAsync() =>
            await ForEachAsync(_visitors.Length, 16, async i => await _visitors[i].InvokeAsync<ChatConversationView>("End"));

        /// <summary>One idle widget: a token, a connection, Hello.</summary>
        public static async Task<HubConnection> IdleVisitorAsync(string baseUrl, string slug, string token)
        {
            var connection = Connect($"{baseUrl}/hubs/chat?workspace={slug}");
            await connection.StartAsync();
            await connection.InvokeAsync<VisitorSync>("Hello", new HelloRequest(token, null, "en"));
            return connection;
        }

        public async ValueTask DisposeAsync()
        {
            await ForEachAsync(_visitors.Length, 64, async i => await (_visitors[i]?.DisposeAsync() ?? ValueTask.CompletedTask));
            foreach (var agent in _agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    /// <summary>The reference: the same connections and rate against a bare hub; conversation i is group "c{i}".</summary>
    private sealed class EchoRig : IChatRig
    {
        private readonly List<HubConnection> _agents = [];
        private HubConnection[] _visitors = [];
        private Action<ChatMessageView, int> _received = (_, _) => { };

        public Action<ChatMessageView, int> Received { set => _received = value; }

        public static async Task<EchoRig> StartAsync(string baseUrl, int agents, int conversations)
        {
            var rig = new EchoRig();
            for (var a = 0; a < agents; a++)
            {
                var connection = Connect($"{baseUrl}/hubs/echo");
                connection.On<ChatMessageView>("Message", m =>
                {
                    if (m.Author == ChatAuthor.Visitor)
                    {
                        rig._received(m, 0);
                    }
                });
                rig._agents.Add(connection);
            }
            await ForEachAsync(agents, 16, async a =>
            {
                await rig._agents[a].StartAsync();
                await rig._agents[a].InvokeAsync("Join", Enumerable.Range(0, conversations).Where(i => i % agents == a).Select(i => $"c{i}").ToArray());
            });
            rig._visitors = new HubConnection[conversations];
            await ForEachAsync(conversations, 32, async i =>
            {
                var connection = Connect($"{baseUrl}/hubs/echo");
                connection.On<ChatMessageView>("Message", m =>
                {
                    if (m.Author == ChatAuthor.Agent)
                    {
                        rig._received(m, 1);
                    }
                });
                rig._visitors[i] = connection;
                await connection.StartAsync();
                await connection.InvokeAsync("Join", new[] { $"c{i}" });
            });
            return rig;
        }

        public Task SendAsync(int conversation, int direction, string clientId, string text)
        {
            var message = new ChatMessageView(Guid.Empty, Guid.Empty, clientId, direction == 0 ? ChatAuthor.Visitor : ChatAuthor.Agent,
                direction == 0 ? "Bench visitor" : "Agent", text, false, [], DateTimeOffset.UtcNow);
            var connection = direction == 0 ? _visitors[conversation] : _agents[conversation % _agents.Count];
            return connection.InvokeAsync<ChatMessageView>("Send", $"c{conversation}", message);
        }

        public static async Task<HubConnection> IdleAsync(string baseUrl, string token)
        {
            var connection = Connect($"{baseUrl}/hubs/echo");
            await connection.StartAsync();
            await connection.InvokeAsync<string>("Hello", token);
            await connection.InvokeAsync("Join", new[] { $"v{token}" });
            return connection;
        }

        public async ValueTask DisposeAsync()
        {
            await ForEachAsync(_visitors.Length, 64, async i => await (_visitors[i]?.DisposeAsync() ?? ValueTask.CompletedTask));
            foreach (var agent in _agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    // ------------------------------------------------------------------ idle connections

    /// <summary>
    /// The server's resident memory after start-up and a few connections, then with <see cref="IdleConnections"/> more
    /// connected and idle; the difference in MB. For Ateb each connection is a visitor with a token of their own.
    /// </summary>
    private async Task<double> IdleAsync(string name, ServerProcess server, string? slug, Func<string, Task<HubConnection>> connect)
    {
        var n = IdleConnections;
        var stopwatch = Stopwatch.StartNew();
        var tokens = slug is not null
            ? await VisitorTokensAsync(server.BaseUrl, slug, n + 20)
            : [.. Enumerable.Range(0, n + 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Console.WriteLine($"  chat idle {name}: {n + 20:N0} visitor tokens in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        // Warm the hub's code paths, then let the server settle before the baseline.
        var warm = new List<HubConnection>();
        for (var i = 0; i < 20; i++)
        {
            warm.Add(await connect(tokens[n + i]));
        }
        foreach (var c in warm)
        {
            await c.DisposeAsync();
        }
        await Task.Delay(settings.IsSmoke ? 300 : 5000);
        var before = server.ResidentMb();
        var connections = new HubConnection[n];
        var failed = 0;
        await ForEachAsync(n, 64, async i =>
        {
            try
            {
                connections[i] = await connect(tokens[i]);
            }
            catch (Exception e)
            {
                if (Interlocked.Increment(ref failed) <= 3)
                {
                    Console.WriteLine($"  chat idle {name}: connection {i} failed: {e.GetType().Name}: {e.Message}");
                }
            }
        });
        var connected = stopwatch.Elapsed;
        // Idle for a while (keep-alive pings flow), then measure.
        await Task.Delay(settings.IsSmoke ? 300 : 20_000);
        var after = server.ResidentMb();
        var alive = connections.Count(c => c?.State == HubConnectionState.Connected);
        Console.WriteLine($"  chat idle {name}: {alive:N0} of {n:N0} connections open after {connected.TotalSeconds:0.0} s + idle; resident {before:N0} -> {after:N0} MB "
            + $"(+{after - before:N0} MB, {(after - before) * 1024 / Math.Max(1, alive):0.0} KB a connection); load average {LoadAverage()}");
        if (alive < n)
        {
            Workloads.AddFailures(n - alive);
        }
        await ForEachAsync(n, 128, async i => await (connections[i]?.DisposeAsync() ?? ValueTask.CompletedTask));
        return after - before;
    }

    // ------------------------------------------------------------------ set-up

    /// <summary>Visitor tokens from the widget's public endpoint, as the widget gets them.</summary>
    private static async Task<string[]> VisitorTokensAsync(string baseUrl, string slug, int count)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var tokens = new string[count];
        await ForEachAsync(count, 16, async i =>
        {
            using var response = await client.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new VisitorRequest($"Visitor {i}", null, null, null, "en"));
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"chat: POST /api/v1/chat/{slug}/visitors answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            tokens[i] = (await response.Content.ReadFromJsonAsync<VisitorToken>(BenchJson.Options))!.Token;
        });
        return tokens;
    }

    /// <summary>The bench's chat policy through the settings API: 20 chats an agent, a 500-chat queue, open around the clock.</summary>
    private static async Task ConfigureAsync(string baseUrl, string ownerToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ownerToken);
        using var response = await client.PutAsJsonAsync("/api/v1/chat/settings", new
        {
            enabled = true, brandColor = "#0f766e", greetings = new Dictionary<string, string>(), allowedOrigins = Array.Empty<string>(), preChat = "none",
            maxChatsPerAgent = ChatsPerAgent, maxQueue = 500, offerSeconds = 30, teamId = (Guid?)null, useBusinessHours = false,
        });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"chat: PUT /api/v1/chat/settings answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<string> SlugAsync(BenchDatabase database)
    {
        await using var db = database.Open();
        return await db.Workspaces.Where(w => w.Id == database.Workspace.WorkspaceId).Select(w => w.Slug).SingleAsync();
    }

    /// <summary>
    /// Chat agents of their own (the generated desk's agents keep their tickets): accounts with an agent seat and an API
    /// token each, written straight to the database as the generator writes its people.
    /// </summary>
    private static async Task<string[]> AgentTokensAsync(BenchDatabase database, int count)
    {
        await using var db = database.Open();
        var ws = database.Workspace.WorkspaceId;
        db.Scope.Enter(ws);
        var now = DateTimeOffset.UtcNow;
        var tokens = new string[count];
        for (var i = 0; i < count; i++)
        {
            var email = $"chat{i}.{Guid.NewGuid():N}@bench.test";
            var account = new AgentAccount
            {
                Email = email, UserName = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant(),
                DisplayName = $"Chat Agent {i}", SecurityStamp = Guid.NewGuid().ToString(), CreatedAt = now,
            };
            db.Users.Add(account);
            var seat = new Membership { AccountId = account.Id, Role = Role.Agent, CreatedAt = now };
            db.Memberships.Add(seat);
            var secret = ApiToken.NewSecret();
            db.ApiTokens.Add(new ApiToken { MembershipId = seat.Id, Name = "chat bench", Hash = ApiToken.HashOf(secret), Hint = secret[..9], CreatedAt = now });
            tokens[i] = secret;
        }
        await db.SaveChangesAsync();
        return tokens;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
