using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdminsAndAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite drops a plain column in place; EF's DropColumn would rebuild the table outside the migration's transaction.
            migrationBuilder.Sql("ALTER TABLE admins DROP COLUMN failed_sign_ins;");

            migrationBuilder.Sql("ALTER TABLE admins DROP COLUMN locked_until;");

            migrationBuilder.AddColumn<DateTime>(
                name: "created_at",
                table: "admins",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Admins from before roles could do everything: they stay operators.
            migrationBuilder.AddColumn<string>(
                name: "role",
                table: "admins",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "operator");

            migrationBuilder.AddColumn<string>(
                name: "security_stamp",
                table: "admins",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    admin_id = table.Column<long>(type: "INTEGER", nullable: true),
                    admin_email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    enrollment_id = table.Column<long>(type: "INTEGER", nullable: true),
                    client_key = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    detail = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_failures",
                columns: table => new
                {
                    email_key = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    client_key = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    failures = table.Column<int>(type: "INTEGER", nullable: false),
                    last_failure_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    locked_until = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "locked_until",
                table: "admins",
                type: "TEXT",
                nullable: true);
        }
    }
}
