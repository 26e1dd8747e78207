using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
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

/// <summary>
/// Catches a write that skipped the write gate (an ExecuteUpdate or raw SQL not wrapped in <see cref="AtebDb.WriteAsync"/>).
/// On SQLite such a write makes the gated writers wait for the file lock in SQLite's busy loop, which blocks their
/// threads: in the chat benchmark the agents' presence heartbeat did this and stalled every chat for seconds. With
/// Database:StrictWriteGate (the tests) it throws; otherwise it logs a warning naming the statement.
/// </summary>
internal sealed class WriteGateGuard(bool strict, ILogger<WriteGateGuard> log) : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result,
        CancellationToken cancellationToken = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    private void Check(DbCommand command, CommandEventData eventData)
    {
        if (eventData.Context is not AtebDb { MayWrite: false } || !IsWrite(command.CommandText))
        {
            return;
        }
        var statement = command.CommandText.Length > 120 ? command.CommandText[..120] : command.CommandText;
        if (strict)
        {
            throw new InvalidOperationException($"A write outside the write gate (wrap it in AtebDb.WriteAsync or a write transaction): {statement}");
        }
        log.LogWarning("A write outside the write gate: {Statement}", statement);
    }

    internal static bool IsWrite(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }
}
