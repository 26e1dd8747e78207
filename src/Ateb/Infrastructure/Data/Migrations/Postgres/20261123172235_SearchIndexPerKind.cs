using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Postgres
{
    /// <summary>
    /// One GIN index per search kind instead of one for all: the engine walks one kind at a time, and a word's bitmap from
    /// the shared index held every kind's matches, each read from the table and thrown away (an AND of two words over
    /// messages read the articles and tickets holding them too). Each predicate is the engine's own filter on the kind.
    /// </summary>
    public partial class SearchIndexPerKind : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SearchDocuments_Search",
                table: "SearchDocuments");

            migrationBuilder.CreateIndex(
                name: "IX_SearchDocuments_Search_article",
                table: "SearchDocuments",
                column: "Search",
                filter: "\"Kind\" >= 'article' AND \"Kind\" <= 'article'")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "IX_SearchDocuments_Search_customer",
                table: "SearchDocuments",
                column: "Search",
                filter: "\"Kind\" >= 'customer' AND \"Kind\" <= 'customer'")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "IX_SearchDocuments_Search_message",
                table: "SearchDocuments",
                column: "Search",
                filter: "\"Kind\" >= 'message' AND \"Kind\" <= 'message'")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "IX_SearchDocuments_Search_ticket",
                table: "SearchDocuments",
                column: "Search",
                filter: "\"Kind\" >= 'ticket' AND \"Kind\" <= 'ticket'")
                .Annotation("Npgsql:IndexMethod", "GIN");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SearchDocuments_Search_article",
                table: "SearchDocuments");

            migrationBuilder.DropIndex(
                name: "IX_SearchDocuments_Search_customer",
                table: "SearchDocuments");

            migrationBuilder.DropIndex(
                name: "IX_SearchDocuments_Search_message",
                table: "SearchDocuments");

            migrationBuilder.DropIndex(
                name: "IX_SearchDocuments_Search_ticket",
                table: "SearchDocuments");

            migrationBuilder.CreateIndex(
                name: "IX_SearchDocuments_Search",
                table: "SearchDocuments",
                column: "Search")
                .Annotation("Npgsql:IndexMethod", "GIN");
        }
    }
}
