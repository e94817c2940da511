using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
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
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "send_at",
                table: "enrollments",
                type: "character varying(5)",
                maxLength: 5,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    enrollment_id = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    day = table.Column<int>(type: "integer", nullable: true),
                    occurred_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
