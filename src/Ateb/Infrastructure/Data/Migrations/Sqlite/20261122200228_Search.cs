using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SearchDocuments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EntityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SearchDocuments", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SearchDocuments_Kind_EntityId",
                table: "SearchDocuments",
                columns: new[] { "Kind", "EntityId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SearchDocuments_TicketId",
                table: "SearchDocuments",
                column: "TicketId");

            // FTS5 over the documents' normalized tokens (external content: the text lives once, in SearchDocuments), kept in
            // step by triggers. Prefix indexes serve search-as-you-type.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "SearchIndex" USING fts5(Scope, Title, Body, content='SearchDocuments', content_rowid='Id',
                    tokenize='unicode61 remove_diacritics 0', prefix='2 3 4');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchDocuments_Inserted" AFTER INSERT ON "SearchDocuments" BEGIN
                    INSERT INTO "SearchIndex"(rowid, Scope, Title, Body) VALUES (new."Id", new."Scope", new."Title", new."Body");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchDocuments_Deleted" AFTER DELETE ON "SearchDocuments" BEGIN
                    INSERT INTO "SearchIndex"("SearchIndex", rowid, Scope, Title, Body) VALUES ('delete', old."Id", old."Scope", old."Title", old."Body");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SearchDocuments_Updated" AFTER UPDATE ON "SearchDocuments" BEGIN
                    INSERT INTO "SearchIndex"("SearchIndex", rowid, Scope, Title, Body) VALUES ('delete', old."Id", old."Scope", old."Title", old."Body");
                    INSERT INTO "SearchIndex"(rowid, Scope, Title, Body) VALUES (new."Id", new."Scope", new."Title", new."Body");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SearchDocuments_Inserted";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SearchDocuments_Deleted";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SearchDocuments_Updated";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "SearchIndex";""");

            migrationBuilder.DropTable(
                name: "SearchDocuments");
        }
    }
}
