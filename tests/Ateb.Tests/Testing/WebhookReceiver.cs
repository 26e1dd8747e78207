using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ateb.Tests.Testing;

/// <summary>A business's webhook endpoint, for real: Kestrel on 127.0.0.1 and a free port.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    public sealed record Delivery(string Id, string Timestamp, string Signature, string Body);

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    public TimeSpan Delay { get; set; }

    public string Url { get; }

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public void FailNext(int count) => _failuresLeft = count;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            if (receiver!.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay);
            }
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
            {
                return Results.StatusCode(503);
            }
            receiver.Deliveries.Enqueue(new Delivery(request.Headers["webhook-id"]!, request.Headers["webhook-timestamp"]!, request.Headers["webhook-signature"]!, body));
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new WebhookReceiver(app, address + "/hook");
        return receiver;
    }

    public async Task<bool> WaitForAsync(Func<WebhookReceiver, bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (condition(this))
            {
                return true;
            }
            await Task.Delay(100);
        }
        return condition(this);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
