using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data.Migrations.Postgres;
using Ateb.Infrastructure.Search;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Ateb.Tests.Features.Search;

/// <summary>
/// PostgreSQL's pair lexemes of adjacent common words (PostgresSearchEngine.CommonPairs): which a vector holds, that a
/// phrase of common words is found through them, and that the migration SearchCommonPairs derives the same pairs from a
/// stored vector as the engine does from the text. The results themselves are tested on both engines in PhraseSearchTests.
/// </summary>
public sealed class CommonPairsTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task A_vector_pairs_adjacent_common_words_of_one_field_only()
    {
        if (!TestDatabase.IsPostgres)
        {
            return; // PostgreSQL's vectors; FTS5 needs no pairs
        }
        var pairs = await app.WithRawDbAsync(db =>
        {
            var document = new SearchDocument
            {
                Kind = SearchKinds.Message,
                Title = TextNormalizer.IndexText("Thank you", "en"),
                Body = TextNormalizer.IndexText("my order is for the shop, not for you", "en"),
            };
            db.SearchDocuments.Add(document);
            new PostgresSearchEngine().Prepare(db, document);
            var vector = (NpgsqlTsVector)db.Entry(document).Property(SearchDocument.VectorColumn).CurrentValue!;
            return Task.FromResult(vector.Where(l => l.Text.StartsWith(PostgresSearchEngine.PairMark)).Select(l => (l.Text, l.Count)).ToList());
        });
        // «you» ends the title and «my» starts the body: no pair across them. «not» is not a stopword (it changes meaning).
        Assert.Equal(["_for_the", "_for_you", "_is_for"], pairs.Select(p => p.Text).Order(StringComparer.Ordinal));
        Assert.All(pairs, p => Assert.Equal(0, p.Count)); // presence only: phrases are checked on the words' own positions
    }

    [Fact]
    public async Task A_phrase_of_common_words_is_walked_to_through_its_pair_which_the_migration_derives_as_the_engine_does()
    {
        if (!TestDatabase.IsPostgres)
        {
            return; // PostgreSQL's vectors
        }
        var ws = await app.CreateWorkspaceAsync();
        string[] texts =
        [
            "Can you check my order? It is for the shop and you my friend said it was on the way.",
            "لطفا این را بررسی کنید و از آن ممنونم، این را دیروز از شما خریدم",
            "هذا مع الطلب الذي في هذه الحالة",
            "Mae hi ar y ffordd ac mae hi yma gyda fy nghwsmeriaid",
        ];
        var tickets = new List<Guid>();
        foreach (var text in texts)
        {
            var response = await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Question", requester = new { email = "customer@example.com" }, message = new { text } });
            tickets.Add((await response.ReadAsync<TicketResponse>()).Id);
        }
        string[] phrases = ["\"you my\"", "\"این را\"", "\"هذا مع\"", "\"ar y\""];
        async Task<bool[]> FoundAsync() => [.. await Task.WhenAll(phrases.Select(async (q, i) =>
            (await (await ws.Owner.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(q))).ReadAsync<SearchResponse>()).Tickets.Any(t => t.Id == tickets[i])))];
        Assert.Equal(new[] { true, true, true, true }, await FoundAsync());

        // The vectors as the engine wrote them, then without their pairs (as written before the pairs existed).
        var written = await VectorsAsync(ws.Id);
        Assert.All(written, v => Assert.Contains(v, l => l.Text.StartsWith(PostgresSearchEngine.PairMark)));
        await app.WithRawDbAsync(db => db.Database.ExecuteSqlRawAsync("""
            UPDATE "SearchDocuments" SET "Search" = ts_delete("Search", ARRAY(SELECT lexeme FROM unnest("Search") WHERE left(lexeme, 1) = '_'))
            WHERE "WorkspaceId" = {0}
            """, ws.Id));
        // The walk asks for the pair, not the two words found nearly everywhere: without it, nothing is found, except that
        // two adjacent Persian words are also one joined word («اینرا», TextNormalizer's join), which the phrase may be.
        Assert.Equal(new[] { false, true, false, false }, await FoundAsync());

        // The migration's derivation, on this workspace's rows only (the suite shares its database).
        await app.WithRawDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync(SearchCommonPairs.CreatePairsFunction());
            return await db.Database.ExecuteSqlRawAsync($$"""
                UPDATE "SearchDocuments" SET "Search" = "Search" || {{SearchCommonPairs.PairsFunction}}("Search") WHERE "WorkspaceId" = {0}
                """, ws.Id);
        });
        var derived = await VectorsAsync(ws.Id);
        Assert.Equal(written.Count, derived.Count);
        foreach (var (before, after) in written.Zip(derived))
        {
            Assert.Equal(Describe(before), Describe(after));
        }
        Assert.Equal(new[] { true, true, true, true }, await FoundAsync());
    }

    private static string Describe(NpgsqlTsVector vector) =>
        string.Join(' ', vector.Select(l => l.Text + ":" + string.Join(',', Enumerable.Range(0, l.Count).Select(i => l[i].ToString()))).Order(StringComparer.Ordinal));

    private Task<List<NpgsqlTsVector>> VectorsAsync(Guid workspaceId) => app.WithRawDbAsync(db =>
        db.Database.SqlQueryRaw<NpgsqlTsVector>("""
            SELECT "Search" AS "Value" FROM "SearchDocuments" WHERE "WorkspaceId" = {0} AND "Kind" = 'message' ORDER BY "Id"
            """, workspaceId).ToListAsync());
}
