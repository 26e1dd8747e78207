using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MailboxOAuthRefresh : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "OAuthAccessTokenExpiresAt",
                table: "Mailboxes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthClientId",
                table: "Mailboxes",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthClientSecretProtected",
                table: "Mailboxes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthRefreshTokenProtected",
                table: "Mailboxes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthTokenEndpoint",
                table: "Mailboxes",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OAuthAccessTokenExpiresAt",
                table: "Mailboxes");

            migrationBuilder.DropColumn(
                name: "OAuthClientId",
                table: "Mailboxes");

            migrationBuilder.DropColumn(
                name: "OAuthClientSecretProtected",
                table: "Mailboxes");

            migrationBuilder.DropColumn(
                name: "OAuthRefreshTokenProtected",
                table: "Mailboxes");

            migrationBuilder.DropColumn(
                name: "OAuthTokenEndpoint",
                table: "Mailboxes");
        }
    }
}
