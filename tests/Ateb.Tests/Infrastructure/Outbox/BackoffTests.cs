using Ateb.Infrastructure.Outbox;

namespace Ateb.Tests.Infrastructure.Outbox;

[Trait("Db", "none")]
public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 0.0, 2_500)]
    [InlineData(1, 1.0, 5_000)]
    [InlineData(2, 0.0, 5_000)]
    [InlineData(3, 0.5, 15_000)]
    [InlineData(10, 0.0, 1_280_000)]
    [InlineData(20, 1.0, 3_600_000)]
    [InlineData(1000, 0.0, 1_800_000)]
    public void Delay_grows_exponentially_with_jitter_and_a_cap(int attempt, double random, double expectedMs) =>
        Assert.Equal(expectedMs, Backoff.Delay(attempt, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1), random).TotalMilliseconds, 3);
}
