using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LiveChat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ChatAgentConnections",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    MembershipId = table.Column<Guid>(type: "uuid", nullable: false),
                    Node = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatAgentConnections", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChatAgentStatuses",
                columns: table => new
                {
                    MembershipId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Available = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatAgentStatuses", x => x.MembershipId);
                });

            migrationBuilder.CreateTable(
                name: "ChatSettings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    BrandColor = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Greetings = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    AllowedOrigins = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    IdentitySecretProtected = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    PreChat = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    MaxChatsPerAgent = table.Column<int>(type: "integer", nullable: false),
                    MaxQueue = table.Column<int>(type: "integer", nullable: false),
                    OfferSeconds = table.Column<int>(type: "integer", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    UseBusinessHours = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChatVisitors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    ExternalUserId = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    Verified = table.Column<bool>(type: "boolean", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    Language = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatVisitors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChatVisitors_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ChatConversations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    VisitorId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    QueuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OfferedToId = table.Column<Guid>(type: "uuid", nullable: true),
                    OfferExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Declined = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    AgentId = table.Column<Guid>(type: "uuid", nullable: true),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedBy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Rating = table.Column<int>(type: "integer", nullable: true),
                    RatingComment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    PageUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    PageTitle = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    AgentDeliveredUpTo = table.Column<Guid>(type: "uuid", nullable: true),
                    AgentReadUpTo = table.Column<Guid>(type: "uuid", nullable: true),
                    VisitorDeliveredUpTo = table.Column<Guid>(type: "uuid", nullable: true),
                    VisitorReadUpTo = table.Column<Guid>(type: "uuid", nullable: true),
                    TranscriptSentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatConversations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChatConversations_ChatVisitors_VisitorId",
                        column: x => x.VisitorId,
                        principalTable: "ChatVisitors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ChatConversations_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChatAgentConnections_WorkspaceId_MembershipId",
                table: "ChatAgentConnections",
                columns: new[] { "WorkspaceId", "MembershipId" });

            migrationBuilder.CreateIndex(
                name: "IX_ChatConversations_AgentId_State",
                table: "ChatConversations",
                columns: new[] { "AgentId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_ChatConversations_TicketId",
                table: "ChatConversations",
                column: "TicketId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChatConversations_VisitorId_CreatedAt",
                table: "ChatConversations",
                columns: new[] { "VisitorId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ChatConversations_WorkspaceId_State_QueuedAt",
                table: "ChatConversations",
                columns: new[] { "WorkspaceId", "State", "QueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ChatSettings_WorkspaceId",
                table: "ChatSettings",
                column: "WorkspaceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChatVisitors_CustomerId",
                table: "ChatVisitors",
                column: "CustomerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChatAgentConnections");

            migrationBuilder.DropTable(
                name: "ChatAgentStatuses");

            migrationBuilder.DropTable(
                name: "ChatConversations");

            migrationBuilder.DropTable(
                name: "ChatSettings");

            migrationBuilder.DropTable(
                name: "ChatVisitors");
        }
    }
}
