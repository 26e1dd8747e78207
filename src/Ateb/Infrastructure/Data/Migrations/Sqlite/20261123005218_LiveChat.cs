using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ateb.Infrastructure.Data.Migrations.Sqlite
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
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MembershipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Node = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SeenAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatAgentConnections", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChatAgentStatuses",
                columns: table => new
                {
                    MembershipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Available = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatAgentStatuses", x => x.MembershipId);
                });

            migrationBuilder.CreateTable(
                name: "ChatSettings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    BrandColor = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Greetings = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    AllowedOrigins = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    IdentitySecretProtected = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    PreChat = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MaxChatsPerAgent = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxQueue = table.Column<int>(type: "INTEGER", nullable: false),
                    OfferSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UseBusinessHours = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChatVisitors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExternalUserId = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Verified = table.Column<bool>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VisitorId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OfferedToId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OfferExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Declined = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    AgentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedBy = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Rating = table.Column<int>(type: "INTEGER", nullable: true),
                    RatingComment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    PageUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    PageTitle = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    AgentDeliveredUpTo = table.Column<Guid>(type: "TEXT", nullable: true),
                    AgentReadUpTo = table.Column<Guid>(type: "TEXT", nullable: true),
                    VisitorDeliveredUpTo = table.Column<Guid>(type: "TEXT", nullable: true),
                    VisitorReadUpTo = table.Column<Guid>(type: "TEXT", nullable: true),
                    TranscriptSentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
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
