using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;

namespace Ateb.Features.Agents;

/// <summary>Sign-in attempts per email address (RateLimits:LoginPerEmail per 15 minutes, default 10), on top of the per-address limit.</summary>
internal sealed class LoginThrottle(IConfiguration config) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(email =>
        RateLimitPartition.GetFixedWindowLimiter(email, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = config.GetValue("RateLimits:LoginPerEmail", 10), Window = TimeSpan.FromMinutes(15), QueueLimit = 0,
        }));

    public bool TryAcquire(string email, out TimeSpan retryAfter)
    {
        // Partition keys are hashed so the limiter's memory holds no addresses.
        using var lease = _limiter.AttemptAcquire(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email))));
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(15);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
