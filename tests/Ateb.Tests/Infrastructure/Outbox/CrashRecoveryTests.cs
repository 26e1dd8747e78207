using System.Diagnostics;
using System.Net.Http.Headers;
using Ateb.Features.Tickets;

namespace Ateb.Tests.Infrastructure.Outbox;

/// <summary>
/// Ateb as a real process, killed with SIGKILL while webhook deliveries are in flight, then started again:
/// every event still arrives, and any repeat carries the same webhook-id so the receiver can drop it.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ateb-crash-").FullName;
    private (string Provider, string ConnectionString, Func<Task> Drop) _database;
    private Process? _process;
    private readonly int _port = FreePort();

    public ValueTask InitializeAsync()
    {
        _database = TestDatabase.Create(_folder);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Kill_9_during_dispatch_loses_no_event()
    {
        await RunVerbAsync("setup", "--workspace", "Crash", "--owner-email", "crash@example.com", "--owner-password", "crash-password");
        var token = (await RunVerbAsync("tokens", "create", "--email", "crash@example.com", "--name", "crash")).Trim();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(150);

        await StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, events = new[] { "ticket.created" } })).EnsureSuccessStatusCode();
        var numbers = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            numbers.Add((await (await client.PostAsJsonAsync("/api/v1/tickets", new { subject = $"Crash {i}", requester = new { name = "C" } })).ReadAsync<TicketResponse>()).Number);
        }
        Assert.True(await receiver.WaitForAsync(r => r.Deliveries.Count >= 3, TimeSpan.FromSeconds(30)), "no delivery before the kill");
        _process!.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        var beforeRestart = receiver.Deliveries.Count;
        Assert.True(beforeRestart < 40, "everything was delivered before the kill; the test proved nothing");

        await StartAsync();
        Assert.True(await receiver.WaitForAsync(r => r.Deliveries.Select(d => d.Id).Distinct().Count() >= 40, TimeSpan.FromSeconds(60)),
            $"only {receiver.Deliveries.Select(d => d.Id).Distinct().Count()} of 40 events arrived");
        var delivered = receiver.Deliveries.Select(d => System.Text.Json.JsonDocument.Parse(d.Body).RootElement.GetProperty("data").GetProperty("number").GetInt64()).Distinct().Order();
        Assert.Equal(numbers.Order(), delivered);
        var byId = receiver.Deliveries.GroupBy(d => d.Id).ToList();
        Assert.All(byId, g => Assert.Single(g.Select(d => d.Body).Distinct()));
    }

    private ProcessStartInfo StartInfo(params string[] args) => AtebProcess.StartInfo(_folder, _database, new Dictionary<string, string>
    {
        ["Urls"] = $"http://127.0.0.1:{_port}",
        ["Webhooks__AllowPrivateNetwork"] = "true",
        ["Outbox__PollInterval"] = "00:00:00.100",
        ["Outbox__Lease"] = "00:00:02",
        ["Outbox__BaseDelay"] = "00:00:00.200",
        ["Outbox__BatchSize"] = "4",
        ["RateLimits__AuthPerMinute"] = "1000",
    }, args);

    private async Task<string> RunVerbAsync(params string[] args)
    {
        var (code, output, errors) = await AtebProcess.RunAsync(StartInfo(args));
        Assert.True(code == 0, $"{string.Join(' ', args)} failed: {errors}");
        return output;
    }

    private async Task StartAsync()
    {
        _process = Process.Start(StartInfo())!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var probe = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await probe.GetAsync($"http://127.0.0.1:{_port}/health")).IsSuccessStatusCode)
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
        throw new TimeoutException("Ateb did not start within 20 s.");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        await _database.Drop();
        Directory.Delete(_folder, recursive: true);
    }
}
