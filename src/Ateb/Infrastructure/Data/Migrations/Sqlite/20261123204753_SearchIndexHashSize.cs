using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Sqlite
{
    /// <summary>
    /// FTS5 gathers new terms in memory and writes them as a segment when they reach its hash size (1 MB by default), and
    /// merges segments as they pile up. A batch written in one statement (the backfill's, a restore's INSERT ... SELECT, the bench's loader) made
    /// a segment every few hundred documents, and the merges re-read the index: 650 to 1,400 documents a second at 400,000
    /// documents. With 16 MB, 6,000 to 20,000. Stored in the index's own configuration, so every connection uses it; a
    /// single-document write still writes its segment at the end of its statement.
    /// </summary>
    public partial class SearchIndexHashSize : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""INSERT INTO "SearchIndex"("SearchIndex", rank) VALUES ('hashsize', {HashSize});""");
        }

        /// <summary>Bytes of new terms FTS5 holds in memory before it writes them as a segment.</summary>
        public const int HashSize = 16 * 1024 * 1024;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""INSERT INTO "SearchIndex"("SearchIndex", rank) VALUES ('hashsize', 1048576);""");
        }
    }
}
