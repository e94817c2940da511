using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Stats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "enrollment_stats",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    shard = table.Column<int>(type: "INTEGER", nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_enrollment_stats", x => new { x.name, x.shard });
                });

            migrationBuilder.CreateTable(
                name: "lesson_stats",
                columns: table => new
                {
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    shard = table.Column<int>(type: "INTEGER", nullable: false),
                    sent = table.Column<long>(type: "INTEGER", nullable: false),
                    opened = table.Column<long>(type: "INTEGER", nullable: false),
                    machine_opened = table.Column<long>(type: "INTEGER", nullable: false),
                    clicked = table.Column<long>(type: "INTEGER", nullable: false),
                    completed = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lesson_stats", x => new { x.day, x.shard });
                });

            migrationBuilder.Sql(StatsTriggers.SqliteUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(StatsTriggers.SqliteDown);

            migrationBuilder.DropTable(
                name: "enrollment_stats");

            migrationBuilder.DropTable(
                name: "lesson_stats");
        }
    }
}
