using Microsoft.EntityFrameworkCore;

namespace Ateb.Infrastructure.Data;

/// <summary>
/// Copies committed pages from SQLite's write-ahead log into the database file in the background, every
/// <see cref="Interval"/>. Left to itself, SQLite does this inside the commit that takes the log past 1,000 pages, with an
/// fsync of the log and of the database, while that writer still holds the write gate: about once a second under a busy
/// live chat, every writer queued behind one checkpoint (milliseconds per fsync on a virtual disk). The checkpoint here is
/// PASSIVE (it never waits for, or blocks, readers and writers) and runs on its own thread, because Microsoft.Data.Sqlite's
/// calls are synchronous and an fsync would otherwise hold a thread-pool thread. The connections keep SQLite's own
/// checkpoint as a backstop at <see cref="BackstopPages"/> pages, for processes that run without this service.
/// </summary>
internal sealed class SqliteCheckpointer(IServiceScopeFactory scopes, ILogger<SqliteCheckpointer> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>wal_autocheckpoint of every connection (4 KB pages: 40 MB of log).</summary>
    public const int BackstopPages = 10_000;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Loop(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Loop(CancellationToken stop)
    {
        while (!stop.WaitHandle.WaitOne(Interval))
        {
            try
            {
                Checkpoint();
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                log.LogWarning(e, "SQLite checkpoint failed; SQLite's own checkpoint remains as a backstop.");
            }
        }
    }

    /// <summary>One passive checkpoint: the pages in the log and how many of them are now in the database file.</summary>
    internal (long LogPages, long CheckpointedPages) Checkpoint()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        db.Database.OpenConnection();
        try
        {
            using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }
}
