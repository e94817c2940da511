using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClaimIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_lessons_claims",
                table: "lessons");

            migrationBuilder.CreateIndex(
                name: "ix_lessons_claims",
                table: "lessons",
                column: "claimed_at",
                filter: "state IN ('Claimed', 'Sending') AND claimed_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_lessons_message_id",
                table: "lessons",
                column: "message_id",
                filter: "message_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_lessons_claims",
                table: "lessons");

            migrationBuilder.DropIndex(
                name: "ix_lessons_message_id",
                table: "lessons");

            migrationBuilder.CreateIndex(
                name: "ix_lessons_claims",
                table: "lessons",
                column: "claimed_at",
                filter: "state IN ('Claimed', 'Sending')");
        }
    }
}
