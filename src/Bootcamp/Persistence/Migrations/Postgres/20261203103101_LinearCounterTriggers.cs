using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LinearCounterTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The overview's update triggers join their old and new rows only when the update can need it,
            // planned for the rows at hand: a bulk update was quadratic under the first call's cached plan.
            migrationBuilder.Sql(OverviewTriggers.PostgresLinearUpdates);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the functions count exactly what the ones they replace did.
        }
    }
}
