using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bootcamp.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WriterShardedCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The counter triggers write the shard of the session rather than of the course; the rows already
            // written stay where they are (a total is the sum over its shards).
            migrationBuilder.Sql(StatsTriggers.PostgresFunctions);
            migrationBuilder.Sql(OverviewTriggers.PostgresFunctions);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: either sharding sums to the same totals.
        }
    }
}
