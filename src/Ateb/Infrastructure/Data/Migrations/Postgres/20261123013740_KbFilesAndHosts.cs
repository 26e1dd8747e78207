using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KbFilesAndHosts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HelpCenterHost",
                table: "Workspaces",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "KbFiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    ArticleId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    StorageKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KbFiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KbFiles_KbArticles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "KbArticles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Workspaces_HelpCenterHost",
                table: "Workspaces",
                column: "HelpCenterHost",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KbFiles_ArticleId_Name",
                table: "KbFiles",
                columns: new[] { "ArticleId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KbFiles_StorageKey",
                table: "KbFiles",
                column: "StorageKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KbFiles");

            migrationBuilder.DropIndex(
                name: "IX_Workspaces_HelpCenterHost",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "HelpCenterHost",
                table: "Workspaces");
        }
    }
}
