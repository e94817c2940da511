using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DropLessonStats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The overview's counters hold the same per-day figures; the dashboard's totals read them now.
            migrationBuilder.Sql(StatsTriggers.SqliteDropLessonTriggers);
            migrationBuilder.DropTable(
                name: "lesson_stats");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The table only: its triggers and totals are not brought back (the overview's counters carry them).
            migrationBuilder.CreateTable(
                name: "lesson_stats",
                columns: table => new
                {
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    shard = table.Column<int>(type: "INTEGER", nullable: false),
                    clicked = table.Column<long>(type: "INTEGER", nullable: false),
                    completed = table.Column<long>(type: "INTEGER", nullable: false),
                    machine_opened = table.Column<long>(type: "INTEGER", nullable: false),
                    opened = table.Column<long>(type: "INTEGER", nullable: false),
                    sent = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lesson_stats", x => new { x.day, x.shard });
                });
        }
    }
}
