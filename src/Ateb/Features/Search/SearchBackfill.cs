using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Search;

/// <summary>
/// Indexes what has no search document yet: everything written before search existed, or restored from a backup without
/// its index. Runs once a little after start, in batches, and is cheap when there is nothing to do.
/// </summary>
internal sealed class SearchBackfill(IServiceScopeFactory scopes, IConfiguration config, ILogger<SearchBackfill> log) : BackgroundService
{
    private const int Batch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Search:Backfill", true))
        {
            return;
        }
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            var indexed = await RunOnceAsync(stoppingToken);
            if (indexed > 0)
            {
                log.LogInformation("Search backfill indexed {Count} documents", indexed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            log.LogWarning(e, "Search backfill stopped; it runs again at the next start");
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<Guid> workspaces;
        await using (var scope = scopes.CreateAsyncScope())
        {
            workspaces = await scope.ServiceProvider.GetRequiredService<AtebDb>().Workspaces.Select(w => w.Id).ToListAsync(ct);
        }
        var indexed = 0;
        foreach (var workspace in workspaces)
        {
            foreach (var kind in new[] { SearchKinds.Ticket, SearchKinds.Message, SearchKinds.Customer, SearchKinds.Article })
            {
                // One pass in id order (each batch starts after the last id seen, so no batch re-reads what came before);
                // a batch's missing documents are written together (on SQLite in one statement: one FTS5 segment).
                Guid? after = null;
                while (true)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspace);
                    var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
                    var ids = await Ids(db, kind, after).Take(Batch).ToListAsync(ct);
                    if (ids.Count == 0)
                    {
                        break;
                    }
                    after = ids[^1];
                    var have = await db.SearchDocuments.Where(d => d.Kind == kind && ids.Contains(d.EntityId)).Select(d => d.EntityId).ToListAsync(ct);
                    var missing = ids.Except(have).ToList();
                    if (missing.Count > 0)
                    {
                        indexed += await IndexDocument.IndexBatchAsync(db, scope.ServiceProvider.GetRequiredService<SearchIndex>(), kind, missing, ct);
                    }
                    if (ids.Count < Batch)
                    {
                        break;
                    }
                }
            }
        }
        return indexed;
    }

    /// <summary>The ids of what should have a document, in id order, after <paramref name="after"/>.</summary>
    private static IQueryable<Guid> Ids(AtebDb db, string kind, Guid? after)
    {
        var ids = kind switch
        {
            SearchKinds.Ticket => db.Tickets.Select(t => t.Id),
            SearchKinds.Message => db.Messages.Select(m => m.Id),
            SearchKinds.Article => db.KbTranslations.Where(t => t.State == Kb.KbState.Published).Select(t => t.Id),
            _ => db.Customers.Where(c => c.MergedIntoId == null).Select(c => c.Id),
        };
        if (after is { } last)
        {
            ids = ids.Where(id => id.CompareTo(last) > 0);
        }
        return ids.OrderBy(id => id);
    }
}
