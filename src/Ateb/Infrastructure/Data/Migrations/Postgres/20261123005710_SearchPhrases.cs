using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchPhrases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Search documents now keep word boundaries (one tsvector position per word, all its forms there), which phrase
            // queries need. Documents in the old format are dropped; the search backfill rebuilds them at the next start.
            migrationBuilder.Sql("""DELETE FROM "SearchDocuments";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
