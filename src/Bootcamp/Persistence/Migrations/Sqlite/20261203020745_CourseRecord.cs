using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CourseRecord : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_enrollments_open",
                table: "enrollments");

            migrationBuilder.AddColumn<DateTime>(
                name: "paused_until",
                table: "enrollments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "send_at",
                table: "enrollments",
                type: "TEXT",
                maxLength: 5,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    enrollment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: true),
                    occurred_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_paused_until",
                table: "enrollments",
                column: "paused_until",
                filter: "status = 'Paused'");

            migrationBuilder.CreateIndex(
                name: "ux_enrollments_open",
                table: "enrollments",
                column: "email_key",
                unique: true,
                filter: "status IN ('Pending', 'Active', 'Paused')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropIndex(
                name: "ix_enrollments_paused_until",
                table: "enrollments");

            migrationBuilder.DropIndex(
                name: "ux_enrollments_open",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "paused_until",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "send_at",
                table: "enrollments");

            migrationBuilder.CreateIndex(
                name: "ux_enrollments_open",
                table: "enrollments",
                column: "email_key",
                unique: true,
                filter: "status IN ('Pending', 'Active')");
        }
    }
}
