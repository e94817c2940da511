using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FinishedNote : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "finished_note_attempts",
                table: "enrollments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "finished_note_claimed_at",
                table: "enrollments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "finished_note_due_at",
                table: "enrollments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "finished_note_error",
                table: "enrollments",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "finished_note_sent_at",
                table: "enrollments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "finished_note_state",
                table: "enrollments",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_finished_note_claims",
                table: "enrollments",
                column: "finished_note_claimed_at",
                filter: "finished_note_state IN ('Claimed', 'Sending') AND finished_note_claimed_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_finished_note_due",
                table: "enrollments",
                column: "finished_note_due_at",
                filter: "finished_note_state = 'Scheduled'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_enrollments_finished_note_claims",
                table: "enrollments");

            migrationBuilder.DropIndex(
                name: "ix_enrollments_finished_note_due",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "finished_note_attempts",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "finished_note_claimed_at",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "finished_note_due_at",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "finished_note_error",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "finished_note_sent_at",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "finished_note_state",
                table: "enrollments");
        }
    }
}
