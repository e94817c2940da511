using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
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
                    name = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    shard = table.Column<int>(type: "integer", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_enrollment_stats", x => new { x.name, x.shard });
                });

            migrationBuilder.CreateTable(
                name: "lesson_stats",
                columns: table => new
                {
                    day = table.Column<int>(type: "integer", nullable: false),
                    shard = table.Column<int>(type: "integer", nullable: false),
                    sent = table.Column<long>(type: "bigint", nullable: false),
                    opened = table.Column<long>(type: "bigint", nullable: false),
                    machine_opened = table.Column<long>(type: "bigint", nullable: false),
                    clicked = table.Column<long>(type: "bigint", nullable: false),
                    completed = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lesson_stats", x => new { x.day, x.shard });
                });

            migrationBuilder.Sql(StatsTriggers.PostgresUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(StatsTriggers.PostgresDown);

            migrationBuilder.DropTable(
                name: "enrollment_stats");

            migrationBuilder.DropTable(
                name: "lesson_stats");
        }
    }
}
