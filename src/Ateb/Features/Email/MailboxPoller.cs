using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Email;

public sealed class MailPollingOptions
{
    /// <summary>How often the list of mailboxes is re-read (new, changed, disabled).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Polling interval for servers without IDLE.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>IDLE is restarted this often (RFC 2177 asks for under 29 minutes), which also re-checks the folder.</summary>
    public TimeSpan IdleRestart { get; set; } = TimeSpan.FromMinutes(9);
    public int BatchSize { get; set; } = 200;
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// One independent loop per mailbox, so a slow or broken server never delays the others: connect, fetch everything new
/// by UID, store it raw, then wait in IDLE (or poll). Each loop restarts itself with backoff after any failure.
/// </summary>
internal sealed class MailboxPoller(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<MailPollingOptions> options, TimeProvider clock,
    ILogger<MailboxPoller> log) : BackgroundService
{
    private readonly MailPollingOptions _options = options.Value;
    private readonly Dictionary<Guid, Running> _running = [];

    private sealed record Running(DateTimeOffset Version, CancellationTokenSource Stop, Task Loop);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    log.LogWarning(e, "Could not read the mailbox list; will try again");
                }
                await Task.Delay(_options.RefreshInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var running in _running.Values)
            {
                await running.Stop.CancelAsync();
            }
            await Task.WhenAll(_running.Values.Select(r => r.Loop));
        }
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        var wanted = await db.Mailboxes.IgnoreQueryFilters().AsNoTracking().Where(m => m.Enabled && m.ImapHost != null)
            .Select(m => new { m.Id, m.WorkspaceId, m.UpdatedAt }).ToListAsync(ct);
        foreach (var (id, running) in _running.ToList())
        {
            if (wanted.FirstOrDefault(w => w.Id == id) is not { } still || still.UpdatedAt != running.Version || running.Loop.IsCompleted)
            {
                // Removed, disabled or edited: stop; an edited one starts again below with its new settings.
                await running.Stop.CancelAsync();
                await running.Loop;
                running.Stop.Dispose();
                _running.Remove(id);
            }
        }
        foreach (var mailbox in wanted.Where(w => !_running.ContainsKey(w.Id)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var loop = Task.Run(() => RunAsync(mailbox.WorkspaceId, mailbox.Id, stop.Token), CancellationToken.None);
            _running[mailbox.Id] = new Running(mailbox.UpdatedAt, stop, loop);
        }
    }

    private async Task RunAsync(Guid workspaceId, Guid mailboxId, CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SessionAsync(workspaceId, mailboxId, () => failures = 0, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                failures++;
                log.LogInformation("Mailbox {Mailbox}: {Error}", mailboxId, e.Message);
                await RecordAsync(workspaceId, mailboxId, $"{e.GetType().Name}: {e.Message}", CancellationToken.None);
                try
                {
                    await Task.Delay(Backoff.Delay(failures, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), Random.Shared.NextDouble()), clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One connection: sync, then IDLE until something arrives (or poll), over and over until it breaks.</summary>
    private async Task SessionAsync(Guid workspaceId, Guid mailboxId, Action healthy, CancellationToken ct)
    {
        await using var session = Enter(workspaceId);
        var mailbox = await session.ServiceProvider.GetRequiredService<AtebDb>().Mailboxes.AsNoTracking().FirstAsync(m => m.Id == mailboxId, ct);
        using var client = new ImapClient { Timeout = 60_000 };
        await MailConnections.ConnectAsync(client, mailbox.ImapHost!, mailbox.ImapPort, mailbox.ImapSecurity, ct);
        await MailConnections.SignInAsync(client, session.ServiceProvider.GetRequiredService<MailCredentials>(), mailbox, smtp: false, ct);
        var folder = await client.GetFolderAsync(mailbox.ImapFolder, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        using var arrived = new SemaphoreSlim(0, 1);
        CancellationTokenSource? idle = null;
        var announced = 0;
        folder.CountChanged += (_, _) =>
        {
            // Raised when the server announces new mail: while idling, end IDLE and fetch; during a fetch, remember it,
            // because the server says it once (mail that lands between the fetch's search and IDLE would wait for the
            // next IDLE restart otherwise).
            Interlocked.Exchange(ref announced, 1);
            try
            {
                idle?.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        };
        while (!ct.IsCancellationRequested && client.IsConnected)
        {
            Interlocked.Exchange(ref announced, 0);
            while (await SyncAsync(workspaceId, mailbox, folder, ct))
            {
                // A full batch: there may be more.
            }
            await RecordAsync(workspaceId, mailboxId, null, ct);
            healthy();
            if (Volatile.Read(ref announced) == 1)
            {
                continue;
            }
            if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
            {
                using (idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    idle.CancelAfter(_options.IdleRestart);
                    await client.IdleAsync(idle.Token, ct);
                }
                idle = null;
            }
            else
            {
                await Task.Delay(_options.PollInterval, clock, ct);
                await client.NoOpAsync(ct);
            }
        }
        if (client.IsConnected)
        {
            await client.DisconnectAsync(true, CancellationToken.None);
        }
    }

    /// <summary>Fetches up to a batch of mail above the last UID seen; true when the batch was full.</summary>
    private async Task<bool> SyncAsync(Guid workspaceId, Mailbox mailbox, IMailFolder folder, CancellationToken ct)
    {
        await using var scope = Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        var state = await db.Mailboxes.AsNoTracking().Where(m => m.Id == mailbox.Id).Select(m => new { m.UidValidity, m.LastUid }).FirstAsync(ct);
        var lastUid = state.LastUid;
        if (state.UidValidity != folder.UidValidity)
        {
            // The server renumbered the folder: read it all again; the content hash keeps every mail stored once.
            log.LogInformation("Mailbox {Mailbox}: UIDVALIDITY changed from {Old} to {New}; re-syncing", mailbox.Id, state.UidValidity, folder.UidValidity);
            await db.WriteAsync(() => db.Mailboxes.Where(m => m.Id == mailbox.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.UidValidity, folder.UidValidity).SetProperty(m => m.LastUid, 0u), ct), ct);
            lastUid = 0;
        }
        var range = new UniqueIdRange(new UniqueId(folder.UidValidity, lastUid + 1), UniqueId.MaxValue);
        var uids = (await folder.SearchAsync(SearchQuery.Uids(range), ct)).Where(u => u.Id > lastUid).OrderBy(u => u.Id).ToList();
        var store = scope.ServiceProvider.GetRequiredService<InboundMailStore>();
        foreach (var uid in uids.Take(_options.BatchSize))
        {
            byte[] raw;
            await using (var stream = await folder.GetStreamAsync(uid, ct))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ct);
                raw = buffer.ToArray();
            }
            // Stored first; a crash before the UID below is saved fetches it again, and the hash makes that a no-op.
            await store.StoreAsync(mailbox, raw, "imap", uid.Id, ct);
            await db.WriteAsync(() => db.Mailboxes.Where(m => m.Id == mailbox.Id && m.LastUid < uid.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastUid, uid.Id), ct), ct);
            await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true }, ct);
        }
        return uids.Count > _options.BatchSize;
    }

    private async Task RecordAsync(Guid workspaceId, Guid mailboxId, string? error, CancellationToken ct)
    {
        try
        {
            await using var scope = Enter(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
            var now = clock.GetUtcNow();
            var message = error is null ? null : Truncate.ToLength(error, 2000);
            await db.WriteAsync(() => error is null
                ? db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastPolledAt, now).SetProperty(m => m.LastError, (string?)null), ct)
                : db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastError, message).SetProperty(m => m.LastErrorAt, now), ct), ct);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or TimeoutException)
        {
            log.LogDebug(e, "Could not record the state of mailbox {Mailbox}", mailboxId);
        }
    }

    private AsyncServiceScope Enter(Guid workspaceId)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        return scope;
    }
}
