using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ViewCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Tickets_ViewCounts",
                table: "Tickets",
                columns: new[] { "WorkspaceId", "Status", "Priority", "Channel", "TeamId", "AssigneeId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_ViewCounts",
                table: "Tickets");
        }
    }
}
