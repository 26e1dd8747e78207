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
    private const int Batch = 500;

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
                while (true)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspace);
                    var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
                    var missing = await Missing(db, kind).Take(Batch).ToListAsync(ct);
                    var index = scope.ServiceProvider.GetRequiredService<SearchIndex>();
                    foreach (var id in missing)
                    {
                        await IndexDocument.IndexAsync(db, index, kind, id, ct);
                    }
                    indexed += missing.Count;
                    if (missing.Count < Batch)
                    {
                        break;
                    }
                }
            }
        }
        return indexed;
    }

    private static IQueryable<Guid> Missing(AtebDb db, string kind) => kind switch
    {
        SearchKinds.Ticket => db.Tickets.Where(t => !db.SearchDocuments.Any(d => d.Kind == kind && d.EntityId == t.Id)).OrderBy(t => t.Id).Select(t => t.Id),
        SearchKinds.Message => db.Messages.Where(m => !db.SearchDocuments.Any(d => d.Kind == kind && d.EntityId == m.Id)).OrderBy(m => m.Id).Select(m => m.Id),
        SearchKinds.Article => db.KbTranslations.Where(t => t.State == Kb.KbState.Published
            && !db.SearchDocuments.Any(d => d.Kind == kind && d.EntityId == t.Id)).OrderBy(t => t.Id).Select(t => t.Id),
        _ => db.Customers.Where(c => c.MergedIntoId == null && !db.SearchDocuments.Any(d => d.Kind == kind && d.EntityId == c.Id)).OrderBy(c => c.Id).Select(c => c.Id),
    };
}
