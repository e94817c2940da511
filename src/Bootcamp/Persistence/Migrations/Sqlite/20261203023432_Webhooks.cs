using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Webhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "webhook_cursors",
                columns: table => new
                {
                    endpoint = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    last_event_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_cursors", x => x.endpoint);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    endpoint = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    event_id = table.Column<long>(type: "INTEGER", nullable: false),
                    enrollment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    due_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    claimed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    delivered_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_claims",
                table: "webhook_deliveries",
                column: "claimed_at",
                filter: "state = 'Claimed'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_due",
                table: "webhook_deliveries",
                column: "due_at",
                filter: "state = 'Scheduled'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_endpoint_event_id",
                table: "webhook_deliveries",
                columns: new[] { "endpoint", "event_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_failed",
                table: "webhook_deliveries",
                column: "event_id",
                filter: "state = 'Failed'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_open",
                table: "webhook_deliveries",
                columns: new[] { "endpoint", "enrollment_id", "event_id" },
                filter: "state IN ('Scheduled', 'Claimed')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "webhook_cursors");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");
        }
    }
}
