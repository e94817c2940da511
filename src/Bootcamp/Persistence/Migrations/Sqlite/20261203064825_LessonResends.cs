using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LessonResends : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "resend_claimed_at",
                table: "lessons",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "resends",
                table: "lessons",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "resent_at",
                table: "lessons",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "resend_claimed_at",
                table: "lessons");

            migrationBuilder.DropColumn(
                name: "resends",
                table: "lessons");

            migrationBuilder.DropColumn(
                name: "resent_at",
                table: "lessons");
        }
    }
}
