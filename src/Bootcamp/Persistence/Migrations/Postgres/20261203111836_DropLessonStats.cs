using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DropLessonStats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The overview's counters hold the same per-day figures; the dashboard's totals read them now.
            migrationBuilder.Sql(StatsTriggers.PostgresDropLessonTriggers);
            migrationBuilder.DropTable(
                name: "lesson_stats");
            // The counter triggers that stay, as they are now: rows by writing session, and joins of a trigger's old
            // and new rows only when an update can need them, planned for the rows at hand.
            migrationBuilder.Sql(StatsTriggers.PostgresEnrollmentFunctions);
            migrationBuilder.Sql(OverviewTriggers.PostgresFunctions);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The table only: its triggers and totals are not brought back (the overview's counters carry them).
            migrationBuilder.CreateTable(
                name: "lesson_stats",
                columns: table => new
                {
                    day = table.Column<int>(type: "integer", nullable: false),
                    shard = table.Column<int>(type: "integer", nullable: false),
                    clicked = table.Column<long>(type: "bigint", nullable: false),
                    completed = table.Column<long>(type: "bigint", nullable: false),
                    machine_opened = table.Column<long>(type: "bigint", nullable: false),
                    opened = table.Column<long>(type: "bigint", nullable: false),
                    sent = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lesson_stats", x => new { x.day, x.shard });
                });
        }
    }
}
