namespace Ateb.Infrastructure.Outbox;

/// <summary>Exponential backoff with full jitter, capped: spreads retries so a recovering receiver is not stampeded.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan cap, double random01)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 20);
        var ceiling = Math.Min(cap.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        // Half fixed, half jitter: never zero, never above the ceiling.
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * random01);
    }
}
