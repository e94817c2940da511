using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SentCountedInline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The lessons' update trigger steps aside for a sender's chunk, whose mark sent counts itself.
            migrationBuilder.Sql(OverviewTriggers.PostgresFunctions);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: code from before never turns the setting on, so the trigger counts every statement as it did.
        }
    }
}
