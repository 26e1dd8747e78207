using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Postgres
{
    /// <summary>
    /// The tsvector stays in the row (STORAGE MAIN: moved out only when the row would not fit a page) and is compressed
    /// with lz4 where the server has it (PostgreSQL 14 and later, built with lz4): a search tests and ranks thousands of
    /// tsvectors, and reading an article's 2.5 kB vector out of the TOAST table (pglz could not shrink most of them) cost
    /// more than testing it. Rows written before keep their storage until they are written again.
    /// </summary>
    public partial class SearchVectorStorage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "SearchDocuments" ALTER COLUMN "Search" SET STORAGE MAIN;""");
            // Dynamic, so that a server without lz4 (or older than 14) keeps pglz instead of failing the migration.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    EXECUTE 'ALTER TABLE "SearchDocuments" ALTER COLUMN "Search" SET COMPRESSION lz4';
                EXCEPTION WHEN feature_not_supported OR syntax_error THEN
                    RAISE NOTICE 'lz4 compression is not available; the search vectors keep the default compression';
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "SearchDocuments" ALTER COLUMN "Search" SET STORAGE EXTENDED;""");
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    EXECUTE 'ALTER TABLE "SearchDocuments" ALTER COLUMN "Search" SET COMPRESSION DEFAULT';
                EXCEPTION WHEN feature_not_supported OR syntax_error THEN
                    NULL;
                END
                $$;
                """);
        }
    }
}
