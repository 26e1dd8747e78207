using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Storage;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

/// <summary>
/// Attachments are written to the blob store before their rows; a request that fails or a process that dies in
/// between leaves a blob no row points at. This removes such blobs once they are old enough to be certainly orphaned.
/// </summary>
internal sealed class AttachmentSweeper(IServiceScopeFactory scopes, IBlobStore blobs, TimeProvider clock, IConfiguration config,
    ILogger<AttachmentSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = config.GetValue("Storage:SweepInterval", TimeSpan.FromHours(1));
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                var removed = await SweepAsync(config.GetValue("Storage:OrphanAge", TimeSpan.FromHours(1)), stoppingToken);
                if (removed > 0)
                {
                    log.LogInformation("Removed {Count} orphan attachment blobs", removed);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Attachment sweep failed; will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(TimeSpan orphanAge, CancellationToken ct)
    {
        var removed = 0;
        var batch = new List<string>();
        await foreach (var key in blobs.ListAsync(clock.GetUtcNow() - orphanAge, ct))
        {
            batch.Add(key);
            if (batch.Count == 500)
            {
                removed += await RemoveOrphansAsync(batch, ct);
                batch.Clear();
            }
        }
        return removed + await RemoveOrphansAsync(batch, ct);
    }

    private async Task<int> RemoveOrphansAsync(List<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        // Raw received mail and knowledge-base files are blobs too: kept for as long as their rows.
        var known = await db.Attachments.IgnoreQueryFilters().Where(a => keys.Contains(a.StorageKey)).Select(a => a.StorageKey)
            .Concat(db.InboundMails.IgnoreQueryFilters().Where(m => keys.Contains(m.StorageKey!)).Select(m => m.StorageKey!))
            .Concat(db.KbFiles.IgnoreQueryFilters().Where(f => keys.Contains(f.StorageKey)).Select(f => f.StorageKey))
            .ToListAsync(ct);
        var orphans = keys.Except(known).ToList();
        foreach (var key in orphans)
        {
            await blobs.DeleteAsync(key, ct);
        }
        return orphans.Count;
    }
}
