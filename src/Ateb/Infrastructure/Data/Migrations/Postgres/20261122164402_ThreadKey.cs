using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ThreadKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ThreadKey",
                table: "Tickets",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_WorkspaceId_ThreadKey",
                table: "Tickets",
                columns: new[] { "WorkspaceId", "ThreadKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_WorkspaceId_ThreadKey",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ThreadKey",
                table: "Tickets");
        }
    }
}
