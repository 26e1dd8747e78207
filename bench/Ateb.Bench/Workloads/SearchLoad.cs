using System.Diagnostics;
using Ateb.Bench.Data;
using Ateb.Features.Kb;
using Ateb.Features.Search;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Bench.Workloads;

/// <summary>Search documents for a generated database, built by the app's own SearchIndex and bulk-loaded.</summary>
internal static class SearchLoad
{
    /// <summary>
    /// The generator writes tickets and messages without their search documents (the app indexes on write, and the bench
    /// turns the backfill off). The inbox's text search needs them: build them with the app's own SearchIndex (same tokens,
    /// language, scope and, on PostgreSQL, tsvector) and bulk-load those that are missing.
    /// </summary>
    public static async Task<(int Documents, TimeSpan Elapsed)> IndexAsync(BenchDatabase database, int ticketsPerChunk = 20_000)
    {
        var stopwatch = Stopwatch.StartNew();
        var ws = database.Workspace.WorkspaceId;
        HashSet<Guid> indexed;
        long nextId;
        await using (var db = database.Open())
        {
            indexed = [.. await db.SearchDocuments.IgnoreQueryFilters().Where(d => d.WorkspaceId == ws && (d.Kind == SearchKinds.Ticket || d.Kind == SearchKinds.Message || d.Kind == SearchKinds.Article)).Select(d => d.EntityId).ToListAsync()];
            nextId = (await db.SearchDocuments.IgnoreQueryFilters().MaxAsync(d => (long?)d.Id) ?? 0) + 1;
        }
        var written = 0;
        TimeSpan reading = default, building = default, writing = default;
        var chunk = ticketsPerChunk;
        var top = database.Workspace.Tickets;
        for (var from = 1; from <= top; from += chunk)
        {
            await using var db = database.Open();
            db.Scope.Enter(ws);
            var index = new SearchIndex(db, database.Provider == "postgres" ? new PostgresSearchEngine() : new SqliteSearchEngine(), TimeProvider.System);
            var (low, high) = ((long)from, (long)from + chunk);
            var phase = Stopwatch.StartNew();
            var tickets = await db.Tickets.AsNoTracking().Where(t => t.Number >= low && t.Number < high).Select(t => new { t.Id, t.Subject }).ToListAsync();
            var messages = await db.Messages.AsNoTracking().Join(db.Tickets.Where(t => t.Number >= low && t.Number < high), m => m.TicketId, t => t.Id, (m, t) => m)
                .Select(m => new { m.Id, m.TicketId, m.BodyText, m.IsPublic }).ToListAsync();
            reading += phase.Elapsed;
            phase.Restart();
            var documents = new List<SearchDocument>(tickets.Count + messages.Count);
            foreach (var t in tickets.Where(t => !indexed.Contains(t.Id)))
            {
                documents.Add(index.Build(new SearchDocument { Id = nextId++, WorkspaceId = ws, Kind = SearchKinds.Ticket, EntityId = t.Id }, t.Subject, "", t.Id, false));
            }
            foreach (var m in messages.Where(m => !indexed.Contains(m.Id)))
            {
                documents.Add(index.Build(new SearchDocument { Id = nextId++, WorkspaceId = ws, Kind = SearchKinds.Message, EntityId = m.Id }, "", m.BodyText, m.TicketId, !m.IsPublic));
            }
            building += phase.Elapsed;
            phase.Restart();
            await WriteAsync(database, db, documents);
            writing += phase.Elapsed;
            written += documents.Count;
            Console.Write($"\r  indexing for search: {written:N0} documents        ");
        }
        Console.WriteLine($"\r  tickets and messages: read {reading.TotalSeconds:0.0} s, built {building.TotalSeconds:0.0} s, written {writing.TotalSeconds:0.0} s        ");
        // Published knowledge-base translations (the search workload writes 100,000 of them), in id order.
        Guid? after = null;
        while (true)
        {
            await using var db = database.Open();
            db.Scope.Enter(ws);
            var index = new SearchIndex(db, database.Provider == "postgres" ? new PostgresSearchEngine() : new SqliteSearchEngine(), TimeProvider.System);
            var page = db.KbTranslations.AsNoTracking().Where(t => t.State == KbState.Published);
            if (after is { } last)
            {
                page = page.Where(t => t.Id.CompareTo(last) > 0);
            }
            var translations = await page.OrderBy(t => t.Id).Take(20_000)
                .Join(db.KbArticles, t => t.ArticleId, a => a.Id, (t, a) => new { t.Id, t.Title, t.Markdown, a.IsInternal }).ToListAsync();
            if (translations.Count == 0)
            {
                break;
            }
            after = translations[^1].Id;
            var documents = translations.Where(t => !indexed.Contains(t.Id))
                .Select(t => index.Build(new SearchDocument { Id = nextId++, WorkspaceId = ws, Kind = SearchKinds.Article, EntityId = t.Id }, t.Title, t.Markdown, null, t.IsInternal))
                .ToList();
            await WriteAsync(database, db, documents);
            written += documents.Count;
            Console.Write($"\r  indexing for search: {written:N0} documents        ");
        }
        await using (var db = database.Open())
        {
            if (database.Provider == "postgres")
            {
                // The documents were copied with their ids; the identity must continue after them.
                await db.Database.ExecuteSqlRawAsync("SELECT setval(pg_get_serial_sequence('\"SearchDocuments\"', 'Id'), (SELECT COALESCE(MAX(\"Id\"), 1) FROM \"SearchDocuments\"))");
            }
            if (written > 0)
            {
                // On PostgreSQL VACUUM too, every table (the generator's as well), as autovacuum would soon after: until the
                // visibility maps are set, counts and index-only scans read whole tables, and autovacuum doing it during the
                // runs competes with them on two cores (a fresh desk's backfill measured 900 and 979/s, the same desk later
                // 1,292 to 1,509/s).
                db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
                await db.Database.ExecuteSqlRawAsync(database.Provider == "postgres" ? "VACUUM (ANALYZE)" : "ANALYZE");
            }
        }
        Console.WriteLine($"\r  indexed for search: {written:N0} documents in {stopwatch.Elapsed.TotalSeconds:0.0} s        ");
        return (written, stopwatch.Elapsed);
    }

    private static async Task WriteAsync(BenchDatabase database, AtebDb db, List<SearchDocument> documents)
    {
        if (database.Provider == "postgres")
        {
            await new BulkWriter(db).WriteAsync(documents);
        }
        else
        {
            // Not row by row into SearchDocuments: FTS5 flushes its pending terms at every statement that fires the
            // trigger (about 50 ms a row against a 100,000-document index with the default page cache). Rows go to a
            // staging table first and reach SearchDocuments, and through the trigger the index, in one statement.
            await db.Database.OpenConnectionAsync();
            // FTS5 merges its segments through the page cache; the default 2 MB makes it re-read them from the OS.
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -262144");
            await db.Database.ExecuteSqlRawAsync("CREATE TEMP TABLE IF NOT EXISTS \"SearchStaging\" AS SELECT * FROM \"SearchDocuments\" WHERE 0");
            await new BulkWriter(db).WriteAsync(documents, table: "SearchStaging");
            await db.Database.ExecuteSqlRawAsync("INSERT INTO \"SearchDocuments\" SELECT * FROM temp.\"SearchStaging\" ORDER BY \"Id\"; DELETE FROM temp.\"SearchStaging\"");
        }
    }
}
