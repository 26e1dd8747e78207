using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Email : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_State_NextAttemptAt",
                table: "OutboxMessages");

            migrationBuilder.AddColumn<string>(
                name: "MailKeyProtected",
                table: "Workspaces",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MailboxId",
                table: "Tickets",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Flags",
                table: "Messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "FoldAt",
                table: "Messages",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UndeliverableAt",
                table: "CustomerIdentities",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UndeliverableReason",
                table: "CustomerIdentities",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Mailboxes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Address = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    FromName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    ImapHost = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    ImapPort = table.Column<int>(type: "integer", nullable: false),
                    ImapSecurity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ImapUser = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    ImapAuth = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ImapSecretProtected = table.Column<string>(type: "text", nullable: true),
                    ImapFolder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SmtpHost = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    SmtpPort = table.Column<int>(type: "integer", nullable: false),
                    SmtpSecurity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SmtpUser = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    SmtpAuth = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SmtpSecretProtected = table.Column<string>(type: "text", nullable: true),
                    PipeSecretHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TrustedAuthServId = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    AutoAcknowledge = table.Column<bool>(type: "boolean", nullable: false),
                    UidValidity = table.Column<long>(type: "bigint", nullable: true),
                    LastUid = table.Column<long>(type: "bigint", nullable: false),
                    LastPolledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    LastErrorAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Mailboxes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MailEnvelopes",
                columns: table => new
                {
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    MailboxId = table.Column<Guid>(type: "uuid", nullable: true),
                    InternetMessageId = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    InReplyTo = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    References = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    From = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    To = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Cc = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    InboundMailId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailEnvelopes", x => x.MessageId);
                    table.ForeignKey(
                        name: "FK_MailEnvelopes_Messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "Messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TicketParticipants",
                columns: table => new
                {
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketParticipants", x => new { x.TicketId, x.CustomerId });
                    table.ForeignKey(
                        name: "FK_TicketParticipants_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TicketParticipants_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InboundMails",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    MailboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    StorageKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ImapUid = table.Column<long>(type: "bigint", nullable: true),
                    FromAddress = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    Subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: true),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboundMails", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InboundMails_Mailboxes_MailboxId",
                        column: x => x.MailboxId,
                        principalTable: "Mailboxes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Kind_State_NextAttemptAt",
                table: "OutboxMessages",
                columns: new[] { "Kind", "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundMails_MailboxId_Sha256",
                table: "InboundMails",
                columns: new[] { "MailboxId", "Sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundMails_MailboxId_State_ReceivedAt",
                table: "InboundMails",
                columns: new[] { "MailboxId", "State", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Mailboxes_WorkspaceId_Address",
                table: "Mailboxes",
                columns: new[] { "WorkspaceId", "Address" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TicketParticipants_CustomerId",
                table: "TicketParticipants",
                column: "CustomerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InboundMails");

            migrationBuilder.DropTable(
                name: "MailEnvelopes");

            migrationBuilder.DropTable(
                name: "TicketParticipants");

            migrationBuilder.DropTable(
                name: "Mailboxes");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Kind_State_NextAttemptAt",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "MailKeyProtected",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "MailboxId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "Flags",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "FoldAt",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "UndeliverableAt",
                table: "CustomerIdentities");

            migrationBuilder.DropColumn(
                name: "UndeliverableReason",
                table: "CustomerIdentities");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_State_NextAttemptAt",
                table: "OutboxMessages",
                columns: new[] { "State", "NextAttemptAt" });
        }
    }
}
