using Microsoft.EntityFrameworkCore.Storage;

namespace Ateb.Infrastructure.Data;

/// <summary>
/// SQLite allows one writer at a time and makes the others poll with growing sleeps, which wastes milliseconds per
/// write under load. Writers in this process queue here instead, in order, and take the file lock uncontended.
/// PostgreSQL has real row locks, so there the gate is open.
/// </summary>
public sealed class WriteGate(bool enabled) : IDisposable
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public bool Enabled => enabled;

    internal async Task EnterAsync(CancellationToken ct)
    {
        if (enabled && !await _semaphore.WaitAsync(MaxWait, ct))
        {
            throw new TimeoutException("Waited 30 s for the database write lock.");
        }
    }

    internal void Enter()
    {
        if (enabled && !_semaphore.Wait(MaxWait))
        {
            throw new TimeoutException("Waited 30 s for the database write lock.");
        }
    }

    internal void Exit()
    {
        if (enabled)
        {
            _semaphore.Release();
        }
    }

    public void Dispose() => _semaphore.Dispose();
}

/// <summary>A transaction that holds the write gate until it is disposed.</summary>
public sealed class WriteTransaction(IDbContextTransaction transaction, Action release) : IAsyncDisposable
{
    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await transaction.DisposeAsync();
        }
        finally
        {
            release();
        }
    }
}
