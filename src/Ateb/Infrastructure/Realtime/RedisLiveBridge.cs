using System.Text.Json;
using StackExchange.Redis;

namespace Ateb.Infrastructure.Realtime;

/// <summary>
/// Carries LiveEvents between Ateb processes over Redis pub/sub (Redis:Connection), next to SignalR's own Redis
/// backplane for the hubs. Every node, the publisher included, receives each event from Redis and dispatches it to its
/// subscribers, so all nodes see the same events in the same order. If Redis is unreachable, events stay local (the
/// screens of this node still update; others catch up on their next load).
/// </summary>
internal sealed class RedisLiveBridge(LiveEvents live, IConfiguration config, ILogger<RedisLiveBridge> log) : IHostedService, IAsyncDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("ateb:live");
    private ConnectionMultiplexer? _redis;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(config["Redis:Connection"]!);
        options.AbortOnConnectFail = false;
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        var subscriber = _redis.GetSubscriber();
        var queue = await subscriber.SubscribeAsync(Channel);
        // One ordered queue: events are dispatched in the order Redis delivered them.
        queue.OnMessage(message =>
        {
            try
            {
                if (JsonSerializer.Deserialize<LiveEvent>((string)message.Message!) is { } e)
                {
                    live.Dispatch(e);
                }
            }
            catch (JsonException e)
            {
                log.LogWarning(e, "Ignored a malformed live event from Redis");
            }
        });
        live.Outbound = e =>
        {
            if (_redis is not { IsConnected: true })
            {
                return false;
            }
            subscriber.Publish(Channel, JsonSerializer.Serialize(e), CommandFlags.FireAndForget);
            return true;
        };
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        live.Outbound = null;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
