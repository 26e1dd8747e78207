using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MailboxOAuthRefresh : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "OAuthAccessTokenExpiresAt",
                table: "Mailboxes",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthClientId",
                table: "Mailboxes",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthClientSecretProtected",
                table: "Mailboxes",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthRefreshTokenProtected",
                table: "Mailboxes",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthTokenEndpoint",
                table: "Mailboxes",
                type: "character varying(2000)",
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
