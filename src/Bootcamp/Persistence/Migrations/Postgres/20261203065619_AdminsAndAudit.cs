using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AdminsAndAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "failed_sign_ins",
                table: "admins");

            migrationBuilder.DropColumn(
                name: "locked_until",
                table: "admins");

            migrationBuilder.AddColumn<DateTime>(
                name: "created_at",
                table: "admins",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Admins from before roles could do everything: they stay operators.
            migrationBuilder.AddColumn<string>(
                name: "role",
                table: "admins",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "operator");

            migrationBuilder.AddColumn<string>(
                name: "security_stamp",
                table: "admins",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    admin_id = table.Column<long>(type: "bigint", nullable: true),
                    admin_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    enrollment_id = table.Column<long>(type: "bigint", nullable: true),
                    client_key = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    detail = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_failures",
                columns: table => new
                {
                    email_key = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    client_key = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    failures = table.Column<int>(type: "integer", nullable: false),
                    last_failure_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    locked_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_failures", x => new { x.email_key, x.client_key });
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_admin",
                table: "audit_log",
                columns: new[] { "admin_email", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_enrollment",
                table: "audit_log",
                columns: new[] { "enrollment_id", "id" },
                filter: "enrollment_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_failures_last_failure_at",
                table: "sign_in_failures",
                column: "last_failure_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "sign_in_failures");

            migrationBuilder.DropColumn(
                name: "created_at",
                table: "admins");

            migrationBuilder.DropColumn(
                name: "role",
                table: "admins");

            migrationBuilder.DropColumn(
                name: "security_stamp",
                table: "admins");

            migrationBuilder.AddColumn<int>(
                name: "failed_sign_ins",
                table: "admins",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "locked_until",
                table: "admins",
                type: "timestamp with time zone",
                nullable: true);
        }
    }
}
