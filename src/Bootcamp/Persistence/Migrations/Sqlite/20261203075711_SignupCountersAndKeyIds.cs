using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SignupCountersAndKeyIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_secrets",
                table: "secrets");

            migrationBuilder.AddColumn<int>(
                name: "key_id",
                table: "secrets",
                type: "INTEGER",
                nullable: false,
                // The one generation every secret had before keys had ids.
                defaultValue: 1);

            migrationBuilder.AddPrimaryKey(
                name: "pk_secrets",
                table: "secrets",
                columns: new[] { "name", "key_id" });

            migrationBuilder.CreateTable(
                name: "signup_counters",
                columns: table => new
                {
                    key_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    window_started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    confirmations = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signup_counters", x => x.key_hash);
                });

            migrationBuilder.CreateIndex(
                name: "ix_signup_counters_window_started_at",
                table: "signup_counters",
                column: "window_started_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "signup_counters");

            migrationBuilder.DropPrimaryKey(
                name: "pk_secrets",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "key_id",
                table: "secrets");

            migrationBuilder.AddPrimaryKey(
                name: "pk_secrets",
                table: "secrets",
                column: "name");
        }
    }
}
