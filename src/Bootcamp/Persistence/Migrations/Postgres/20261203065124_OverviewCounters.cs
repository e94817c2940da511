using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OverviewCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "activity_counts",
                columns: table => new
                {
                    bucket = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    name = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    shard = table.Column<int>(type: "integer", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_activity_counts", x => new { x.name, x.bucket, x.shard });
                });

            migrationBuilder.CreateTable(
                name: "overview_counts",
                columns: table => new
                {
                    cohort = table.Column<DateOnly>(type: "date", nullable: false),
                    discreet = table.Column<bool>(type: "boolean", nullable: false),
                    day = table.Column<int>(type: "integer", nullable: false),
                    shard = table.Column<int>(type: "integer", nullable: false),
                    enrolled = table.Column<long>(type: "bigint", nullable: false),
                    confirmed = table.Column<long>(type: "bigint", nullable: false),
                    finished = table.Column<long>(type: "bigint", nullable: false),
                    completed = table.Column<long>(type: "bigint", nullable: false),
                    left_course = table.Column<long>(type: "bigint", nullable: false),
                    sent = table.Column<long>(type: "bigint", nullable: false),
                    opened = table.Column<long>(type: "bigint", nullable: false),
                    machine_opened = table.Column<long>(type: "bigint", nullable: false),
                    clicked = table.Column<long>(type: "bigint", nullable: false),
                    done = table.Column<long>(type: "bigint", nullable: false),
                    untracked = table.Column<long>(type: "bigint", nullable: false),
                    failed = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_overview_counts", x => new { x.cohort, x.discreet, x.day, x.shard });
                });

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_created_at",
                table: "suppressions",
                column: "created_at");

            // The totals, kept by triggers and filled from the rows already there (see OverviewTriggers).
            migrationBuilder.Sql(OverviewTriggers.PostgresUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(OverviewTriggers.PostgresDown);

            migrationBuilder.DropTable(
                name: "activity_counts");

            migrationBuilder.DropTable(
                name: "overview_counts");

            migrationBuilder.DropIndex(
                name: "ix_suppressions_created_at",
                table: "suppressions");
        }
    }
}
