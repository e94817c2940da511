using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Sqlite
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
                    bucket = table.Column<DateTime>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    shard = table.Column<int>(type: "INTEGER", nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_activity_counts", x => new { x.name, x.bucket, x.shard });
                });

            migrationBuilder.CreateTable(
                name: "overview_counts",
                columns: table => new
                {
                    cohort = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    discreet = table.Column<bool>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    shard = table.Column<int>(type: "INTEGER", nullable: false),
                    enrolled = table.Column<long>(type: "INTEGER", nullable: false),
                    confirmed = table.Column<long>(type: "INTEGER", nullable: false),
                    finished = table.Column<long>(type: "INTEGER", nullable: false),
                    completed = table.Column<long>(type: "INTEGER", nullable: false),
                    left_course = table.Column<long>(type: "INTEGER", nullable: false),
                    sent = table.Column<long>(type: "INTEGER", nullable: false),
                    opened = table.Column<long>(type: "INTEGER", nullable: false),
                    machine_opened = table.Column<long>(type: "INTEGER", nullable: false),
                    clicked = table.Column<long>(type: "INTEGER", nullable: false),
                    done = table.Column<long>(type: "INTEGER", nullable: false),
                    untracked = table.Column<long>(type: "INTEGER", nullable: false),
                    failed = table.Column<long>(type: "INTEGER", nullable: false)
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
            migrationBuilder.Sql(OverviewTriggers.SqliteUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(OverviewTriggers.SqliteDown);

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
