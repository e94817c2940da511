using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReportedLessonsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_lessons_message_id",
                table: "lessons");

            migrationBuilder.CreateIndex(
                name: "ix_lessons_reported",
                table: "lessons",
                column: "message_id",
                filter: "state IN ('Sent', 'Failed') AND message_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_lessons_reported",
                table: "lessons");

            migrationBuilder.CreateIndex(
                name: "ix_lessons_message_id",
                table: "lessons",
                column: "message_id",
                filter: "message_id IS NOT NULL");
        }
    }
}
