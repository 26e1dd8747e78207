using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ateb.Infrastructure.Outbox;

/// <summary>
/// Claims due rows with a lease (a conditional UPDATE, so two nodes never send the same row at once),
/// sends them, and records the outcome. Rows are never deleted here: Done rows are the delivery log.
/// Each kind has its own loop, so a slow webhook receiver never holds up mail and a mail backlog never holds up webhooks.
/// </summary>
internal sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, IEnumerable<IOutboxSender> senders, OutboxSignal signal,
    IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxDispatcher> log) : BackgroundService
{
    private readonly Dictionary<string, IOutboxSender> _senders = senders.ToDictionary(s => s.Kind);
    private readonly OutboxOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Every kind's wake-up exists before its loop runs: a Pulse() between a loop's first (empty) batch and its first wait
        // would otherwise find no semaphore to release, and the work would wait for the poll.
        signal.Track(_senders.Keys);
        return Task.WhenAll(_senders.Keys.Select(kind => Task.Run(() => RunAsync(kind, stoppingToken), stoppingToken)));
    }

    private async Task RunAsync(string kind, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = await DispatchBatchAsync(kind, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Outbox {Kind} batch failed; will retry", kind);
            }
            if (!worked)
            {
                await signal.WaitAsync(kind, _options.PollInterval, stoppingToken);
            }
        }
    }

    internal async Task<bool> DispatchBatchAsync(string kind, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        var now = clock.GetUtcNow();
        var due = await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.Kind == kind && m.State == OutboxState.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => m.Id)
            .Take(_options.BatchSize)
            .ToListAsync(ct);
        var parallelism = _senders[kind].Parallelism;
        if (parallelism <= 1)
        {
            foreach (var id in due)
            {
                await DispatchOneAsync(db, id, ct);
            }
        }
        else
        {
            // Work that mostly waits (a mail server, the database's single writer) overlaps with its neighbours.
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (id, token) =>
            {
                await using var own = scopes.CreateAsyncScope();
                await DispatchOneAsync(own.ServiceProvider.GetRequiredService<AtebDb>(), id, token);
            });
        }
        return due.Count > 0;
    }

    private async Task DispatchOneAsync(AtebDb db, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leaseUntil = now + _options.Lease;
        var claimed = await db.WriteAsync(() => db.OutboxMessages.IgnoreQueryFilters()
            .Where(m => m.Id == id && m.State == OutboxState.Pending && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, leaseUntil).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct), ct);
        if (claimed == 0)
        {
            return;
        }
        var message = await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking().FirstAsync(m => m.Id == id, ct);
        SendResult result;
        try
        {
            result = _senders.TryGetValue(message.Kind, out var sender)
                ? await sender.SendAsync(message, ct)
                : SendResult.PermanentFailure($"No sender for '{message.Kind}'.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            result = SendResult.Retry(e.GetType().Name + ": " + e.Message);
        }
        await RecordAsync(db, message, result, ct);
    }

    private async Task RecordAsync(AtebDb db, OutboxMessage message, SendResult result, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = db.OutboxMessages.IgnoreQueryFilters().Where(m => m.Id == message.Id);
        if (result.Delivered)
        {
            await db.WriteAsync(() => rows.ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Done)
                .SetProperty(m => m.DoneAt, now).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.LastError, (string?)null), ct), ct);
            return;
        }
        var dead = result.Permanent || message.Attempts >= _options.MaxAttempts;
        var next = now + Backoff.Delay(message.Attempts, _options.BaseDelay, _options.MaxDelay, Random.Shared.NextDouble());
        var error = result.Error is null ? null : Text.Truncate.ToLength(result.Error, 2000);
        log.LogInformation("Outbox {Kind} {Id} attempt {Attempt} failed: {Error}", message.Kind, message.Id, message.Attempts, error);
        await db.WriteAsync(() => rows.ExecuteUpdateAsync(s => s.SetProperty(m => m.State, dead ? OutboxState.Dead : OutboxState.Pending)
            .SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null)
            .SetProperty(m => m.LastError, error), ct), ct);
    }
}

/// <summary>Lets a handler wake the dispatcher right after it committed outbox rows, instead of waiting for the next poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _semaphores = new();

    /// <summary>Wakes every kind's loop (cheap: a loop that finds nothing goes back to sleep).</summary>
    public void Pulse()
    {
        foreach (var semaphore in _semaphores.Values)
        {
            Release(semaphore);
        }
    }

    public void Pulse(string kind) => Release(Semaphore(kind));

    /// <summary>Wakes the loops of these kinds only (see <see cref="AddedKinds"/>); none when nothing was queued.</summary>
    public void Pulse(IReadOnlyCollection<string> kinds)
    {
        foreach (var kind in kinds)
        {
            Pulse(kind);
        }
    }

    /// <summary>
    /// The kinds of the outbox rows a context is about to insert: read before SaveChanges, pulse after the commit. A hot
    /// path (a chat message) that queued nothing then wakes no loop, instead of every kind's loop running a query.
    /// </summary>
    public static string[] AddedKinds(Microsoft.EntityFrameworkCore.DbContext db)
    {
        // Outbox rows are added to their set directly, so they are Added without a scan for changes (SaveChanges does that once).
        var auto = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return [.. db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == Microsoft.EntityFrameworkCore.EntityState.Added).Select(e => e.Entity.Kind).Distinct()];
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = auto;
        }
    }

    /// <summary>Creates the wake-ups of these kinds, so that <see cref="Pulse()"/> reaches loops that have not waited yet.</summary>
    internal void Track(IEnumerable<string> kinds)
    {
        foreach (var kind in kinds)
        {
            Semaphore(kind);
        }
    }

    internal async Task WaitAsync(string kind, TimeSpan timeout, CancellationToken ct) => await Semaphore(kind).WaitAsync(timeout, ct);

    private SemaphoreSlim Semaphore(string kind) => _semaphores.GetOrAdd(kind, _ => new SemaphoreSlim(0, 1));

    private static void Release(SemaphoreSlim semaphore)
    {
        try
        {
            semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already pulsed; one wake-up is enough.
        }
    }

    public void Dispose()
    {
        foreach (var semaphore in _semaphores.Values)
        {
            semaphore.Dispose();
        }
    }
}

public static class OutboxFeature
{
    public static IServiceCollection AddAtebOutbox(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<OutboxOptions>(config.GetSection("Outbox"));
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }
}
