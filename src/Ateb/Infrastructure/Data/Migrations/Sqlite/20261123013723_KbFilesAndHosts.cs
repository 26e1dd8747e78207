using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 253,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "KbFiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ArticleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    StorageKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
