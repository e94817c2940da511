using Bootcamp.Persistence;
using Bootcamp.Persistence.Migrations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bootcamp.Courses;

/// <summary>
/// PostgreSQL: statements that count nothing or count themselves (claims, a sender's chunk, the end of courses), sent
/// as one batch (one round trip, in the caller's transaction or an implicit one) with the counter triggers stepped
/// aside: <see cref="OverviewTriggers.NotCounting"/> first, <see cref="OverviewTriggers.CountingAgain"/> last, so a
/// caller's transaction that goes on with changes that count is counted again.
/// </summary>
internal static class UncountedBatch
{
    // The chunk's statements take arrays of ids; PostgreSQL judged their generic plans (sized for arrays it cannot
    // see) dearer than a fresh plan per call and planned the end of finished courses anew every chunk (~0.9 ms, measured
    // with pg_stat_statements). Their plans do not depend on the values: one generic plan serves. Transaction-local
    // (set_config's local form: SET LOCAL would warn outside an explicit transaction block).
    private const string GenericPlans = OverviewTriggers.NotCounting + ", set_config('plan_cache_mode', 'force_generic_plan', true)";

    /// <summary>A statement with its values as @p0, @p1, ... in order.</summary>
    public static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter($"p{i}", parameters[i]));
        }
        return command;
    }

    /// <summary>
    /// Runs <paramref name="commands"/> in order; <paramref name="genericPlans"/>: with one generic plan each (for the
    /// chunk's statements over arrays of ids). Returns the ids every statement returned as <c>"Value"</c>, in order.
    /// </summary>
    public static async Task<List<long>> RunAsync(BootcampDb db, IEnumerable<NpgsqlBatchCommand> commands, CancellationToken cancellationToken, bool genericPlans = false)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            batch.BatchCommands.Add(new NpgsqlBatchCommand(genericPlans ? GenericPlans : OverviewTriggers.NotCounting));
            foreach (var command in commands)
            {
                batch.BatchCommands.Add(command);
            }
            batch.BatchCommands.Add(new NpgsqlBatchCommand(OverviewTriggers.CountingAgain));
            List<long> ids = [];
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            do
            {
                // The settings and the outbox lock answer rows of their own; only RETURNING id AS "Value" is ids.
                var isIds = reader.FieldCount == 1 && reader.GetName(0) == "Value";
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (isIds)
                    {
                        ids.Add(reader.GetInt64(0));
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
            return ids;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
