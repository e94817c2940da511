using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FinishCountedInline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The courses' update triggers step aside, as the lessons' does, for a sender's chunk, whose end of courses counts itself.
            migrationBuilder.Sql(OverviewTriggers.PostgresFunctions + StatsTriggers.PostgresEnrollmentFunctions);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: code from before never turns the setting on around a change of courses.
        }
    }
}
