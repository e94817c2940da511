using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddressPrefixIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The same index with the pattern operator class, so the admin's prefix search can use it under any collation.
            migrationBuilder.DropIndex(
                name: "ix_enrollments_email_key_id",
                table: "enrollments");

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_email_key_id",
                table: "enrollments",
                columns: new[] { "email_key", "id" })
                .Annotation("Npgsql:IndexOperators", new[] { "varchar_pattern_ops", "int8_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_enrollments_email_key_id",
                table: "enrollments");

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_email_key_id",
                table: "enrollments",
                columns: new[] { "email_key", "id" });
        }
    }
}
