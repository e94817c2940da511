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
            // SQLite cannot change a primary key in place. EF's own rebuild turns foreign keys off around it, which
            // cannot run inside the migration's transaction and warns at every first start; no table refers to
            // secrets, so the plain rebuild below needs no such pragma and stays inside the transaction.
            // Every secret made before keys had ids is generation 1.
            migrationBuilder.Sql("""
                CREATE TABLE "secrets_keyed" (
                    "name" TEXT NOT NULL,
                    "key_id" INTEGER NOT NULL DEFAULT 1,
                    "value" BLOB NOT NULL,
                    CONSTRAINT "pk_secrets" PRIMARY KEY ("name", "key_id"));
                INSERT INTO "secrets_keyed" ("name", "key_id", "value") SELECT "name", 1, "value" FROM "secrets";
                DROP TABLE "secrets";
                ALTER TABLE "secrets_keyed" RENAME TO "secrets";
                """);

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

            // Generation 1 only: the state before keys had ids.
            migrationBuilder.Sql("""
                CREATE TABLE "secrets_single" (
                    "name" TEXT NOT NULL CONSTRAINT "pk_secrets" PRIMARY KEY,
                    "value" BLOB NOT NULL);
                INSERT INTO "secrets_single" ("name", "value") SELECT "name", "value" FROM "secrets" WHERE "key_id" = 1;
                DROP TABLE "secrets";
                ALTER TABLE "secrets_single" RENAME TO "secrets";
                """);
        }
    }
}
