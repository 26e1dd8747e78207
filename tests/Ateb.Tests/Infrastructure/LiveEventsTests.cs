using System.Globalization;
using Ateb.Infrastructure.Realtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ateb.Tests.Infrastructure;

public sealed class LiveEventsTests
{
    [Fact]
    public async Task A_subscriber_hears_in_its_own_language_not_the_publishers()
    {
        var live = new LiveEvents(NullLogger<LiveEvents>.Instance);
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var workspace = Guid.NewGuid();
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fa");
        using var subscription = live.Subscribe(LiveEvents.Counts(workspace), _ =>
        {
            heard.TrySetResult(CultureInfo.CurrentUICulture.Name);
            return Task.CompletedTask;
        });
        await Task.Run(() =>
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("cy");
            live.Publish(new LiveEvent(LiveEvents.Counts(workspace), workspace));
        });
        Assert.Equal("fa", await heard.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_disposed_subscription_hears_nothing_and_a_failing_subscriber_harms_no_one()
    {
        var live = new LiveEvents(NullLogger<LiveEvents>.Instance);
        var workspace = Guid.NewGuid();
        var topic = LiveEvents.Tickets(workspace);
        var calls = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gone = live.Subscribe(topic, _ => { Interlocked.Increment(ref calls); return Task.CompletedTask; });
        using var failing = live.Subscribe(topic, _ => throw new InvalidOperationException("boom"));
        using var healthy = live.Subscribe(topic, _ => { second.TrySetResult(); return Task.CompletedTask; });
        gone.Dispose();
        Assert.Equal(2, live.SubscriberCount(topic));
        live.Publish(new LiveEvent(topic, workspace, Guid.NewGuid()));
        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, calls);
    }
}
