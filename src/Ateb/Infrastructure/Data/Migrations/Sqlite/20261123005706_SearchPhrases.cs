using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchPhrases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Search documents now keep word boundaries (forms of one word joined by '|'), which phrase queries need. Documents
            // in the old format are dropped (the FTS5 index emptied in one step, not row by row through the delete trigger);
            // the search backfill rebuilds them at the next start.
            migrationBuilder.Sql("""INSERT INTO "SearchIndex"("SearchIndex") VALUES ('delete-all');""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SearchDocuments_Deleted";""");
            migrationBuilder.Sql("""DELETE FROM "SearchDocuments";""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchDocuments_Deleted" AFTER DELETE ON "SearchDocuments" BEGIN
                    INSERT INTO "SearchIndex"("SearchIndex", rowid, Scope, Title, Body) VALUES ('delete', old."Id", old."Scope", old."Title", old."Body");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
