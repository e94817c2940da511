using Bootcamp.Domain;

namespace Bootcamp.Persistence.Migrations;

/// <summary>
/// The triggers behind lesson_stats and enrollment_stats. Every change of a lesson's or an
/// enrollment's row adjusts the totals in the same transaction, so the dashboard is exact without
/// counting. They are created with the tables, so there is nothing to backfill.
/// </summary>
internal static class StatsTriggers
{
    /// <summary>
    /// PostgreSQL spreads each day's totals over this many rows, by the writing session
    /// (<c>pg_backend_pid()</c>: see OverviewTriggers.WriterShard); a total is the sum over its shards.
    /// </summary>
    public const int Shards = 16;

    private const string WriterShard = "pg_backend_pid() % 16";

    // PostgreSQL: statement-level triggers over transition tables. One statement that changes many
    // lessons (a group of sends recorded at once) adds its totals in one upsert whose rows are locked in
    // (day, shard) order, so two senders can never deadlock on the totals. One function per operation,
    // since each sees only the transition tables its trigger declares.
    private static readonly string LessonRowsNew = $"""
        SELECT day, {WriterShard} AS shard, (sent_at IS NOT NULL)::int AS sent, (opened_at IS NOT NULL)::int AS opened,
               (machine_opened_at IS NOT NULL AND opened_at IS NULL)::int AS machine_opened,
               (clicked_at IS NOT NULL)::int AS clicked, (completed_at IS NOT NULL)::int AS completed
        FROM lessons_new
        """;

    private static readonly string LessonRowsOld = $"""
        SELECT day, {WriterShard} AS shard, -(sent_at IS NOT NULL)::int AS sent, -(opened_at IS NOT NULL)::int AS opened,
               -(machine_opened_at IS NOT NULL AND opened_at IS NULL)::int AS machine_opened,
               -(clicked_at IS NOT NULL)::int AS clicked, -(completed_at IS NOT NULL)::int AS completed
        FROM lessons_old
        """;

    private static readonly string EnrollmentRowsNew = $"""
        SELECT status AS name, {WriterShard} AS shard, 1 AS delta FROM enrollments_new
        UNION ALL SELECT 'completed', {WriterShard}, 1 FROM enrollments_new WHERE completed_at IS NOT NULL
        """;

    private static readonly string EnrollmentRowsOld = $"""
        SELECT status AS name, {WriterShard} AS shard, -1 AS delta FROM enrollments_old
        UNION ALL SELECT 'completed', {WriterShard}, -1 FROM enrollments_old WHERE completed_at IS NOT NULL
        """;

    private static string LessonFunction(string name, string rows) => $$"""
        CREATE OR REPLACE FUNCTION {{name}}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO lesson_stats AS s (day, shard, sent, opened, machine_opened, clicked, completed)
            SELECT day, shard, sum(sent), sum(opened), sum(machine_opened), sum(clicked), sum(completed)
            FROM ({{rows}}) AS d
            GROUP BY day, shard
            HAVING sum(sent) <> 0 OR sum(opened) <> 0 OR sum(machine_opened) <> 0 OR sum(clicked) <> 0 OR sum(completed) <> 0
            ORDER BY day, shard
            ON CONFLICT (day, shard) DO UPDATE SET
                sent = s.sent + EXCLUDED.sent, opened = s.opened + EXCLUDED.opened,
                machine_opened = s.machine_opened + EXCLUDED.machine_opened,
                clicked = s.clicked + EXCLUDED.clicked, completed = s.completed + EXCLUDED.completed;
            RETURN NULL;
        END $$;
        """;

    private static string EnrollmentFunction(string name, string rows, string skip = "") => $$"""
        CREATE OR REPLACE FUNCTION {{name}}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
        {{skip}}
            INSERT INTO enrollment_stats AS s (name, shard, count)
            SELECT name, shard, sum(delta) FROM ({{rows}}) AS d
            GROUP BY name, shard HAVING sum(delta) <> 0 ORDER BY name, shard
            ON CONFLICT (name, shard) DO UPDATE SET count = s.count + EXCLUDED.count;
            RETURN NULL;
        END $$;
        """;

    /// <summary>The enrollment totals' trigger functions, as <see cref="PostgresUp"/> creates them (and migration DropLessonStats again).</summary>
    public static string PostgresEnrollmentFunctions =>
        EnrollmentFunction("enrollments_stats_ins", EnrollmentRowsNew)
        + EnrollmentFunction("enrollments_stats_upd", EnrollmentRowsNew + " UNION ALL " + EnrollmentRowsOld, OverviewTriggers.SkipWhenCoursesCountedInline)
        + EnrollmentFunction("enrollments_stats_del", EnrollmentRowsOld);

    /// <summary>
    /// What <c>enrollments_stats_upd</c> adds for the courses of <paramref name="changed"/> going from Active to
    /// Finished (the rows of a statement that steps the trigger aside: OverviewTriggers.FinishedCountedInline), as a
    /// CTE named <c>status_counts</c> that runs after the CTE <paramref name="after"/>. Completion does not change.
    /// </summary>
    public static string StatusMovedInline(string changed, string after) => $"""
        status_counts AS (
            INSERT INTO enrollment_stats AS s (name, shard, count)
            SELECT m.name, {WriterShard}, m.delta * (SELECT count(*) FROM {changed})
            FROM (VALUES ('{EnrollmentStatus.Active}', -1), ('{EnrollmentStatus.Finished}', 1)) AS m(name, delta)
            -- Always true: read whole first, to keep the lock order (the totals last).
            WHERE (SELECT count(*) FROM {changed}) > 0 AND (SELECT count(*) FROM {after}) >= 0
            ORDER BY 1
            ON CONFLICT (name, shard) DO UPDATE SET count = s.count + EXCLUDED.count)
        """;

    public static string PostgresUp =>
        LessonFunction("lessons_stats_ins", LessonRowsNew)
        + LessonFunction("lessons_stats_upd", LessonRowsNew + " UNION ALL " + LessonRowsOld)
        + LessonFunction("lessons_stats_del", LessonRowsOld)
        + PostgresEnrollmentFunctions
        + """

        CREATE TRIGGER lessons_stats_insert AFTER INSERT ON lessons REFERENCING NEW TABLE AS lessons_new
            FOR EACH STATEMENT EXECUTE FUNCTION lessons_stats_ins();
        CREATE TRIGGER lessons_stats_update AFTER UPDATE ON lessons REFERENCING OLD TABLE AS lessons_old NEW TABLE AS lessons_new
            FOR EACH STATEMENT EXECUTE FUNCTION lessons_stats_upd();
        CREATE TRIGGER lessons_stats_delete AFTER DELETE ON lessons REFERENCING OLD TABLE AS lessons_old
            FOR EACH STATEMENT EXECUTE FUNCTION lessons_stats_del();
        CREATE TRIGGER enrollments_stats_insert AFTER INSERT ON enrollments REFERENCING NEW TABLE AS enrollments_new
            FOR EACH STATEMENT EXECUTE FUNCTION enrollments_stats_ins();
        CREATE TRIGGER enrollments_stats_update AFTER UPDATE ON enrollments REFERENCING OLD TABLE AS enrollments_old NEW TABLE AS enrollments_new
            FOR EACH STATEMENT EXECUTE FUNCTION enrollments_stats_upd();
        CREATE TRIGGER enrollments_stats_delete AFTER DELETE ON enrollments REFERENCING OLD TABLE AS enrollments_old
            FOR EACH STATEMENT EXECUTE FUNCTION enrollments_stats_del();

        """;

    public const string PostgresDown = """
        DROP TRIGGER IF EXISTS lessons_stats_insert ON lessons;
        DROP TRIGGER IF EXISTS lessons_stats_update ON lessons;
        DROP TRIGGER IF EXISTS lessons_stats_delete ON lessons;
        DROP FUNCTION IF EXISTS lessons_stats_ins(); DROP FUNCTION IF EXISTS lessons_stats_upd(); DROP FUNCTION IF EXISTS lessons_stats_del();
        DROP TRIGGER IF EXISTS enrollments_stats_insert ON enrollments;
        DROP TRIGGER IF EXISTS enrollments_stats_update ON enrollments;
        DROP TRIGGER IF EXISTS enrollments_stats_delete ON enrollments;
        DROP FUNCTION IF EXISTS enrollments_stats_ins(); DROP FUNCTION IF EXISTS enrollments_stats_upd(); DROP FUNCTION IF EXISTS enrollments_stats_del();
        """;

    /// <summary>
    /// The per-day lesson totals' triggers, dropped with their table (migration DropLessonStats): the overview's
    /// counters hold the same figures, and two sets of counter triggers on every send cost twice.
    /// </summary>
    public const string PostgresDropLessonTriggers = """
        DROP TRIGGER IF EXISTS lessons_stats_insert ON lessons;
        DROP TRIGGER IF EXISTS lessons_stats_update ON lessons;
        DROP TRIGGER IF EXISTS lessons_stats_delete ON lessons;
        DROP FUNCTION IF EXISTS lessons_stats_ins(); DROP FUNCTION IF EXISTS lessons_stats_upd(); DROP FUNCTION IF EXISTS lessons_stats_del();
        """;

    /// <summary>The same for SQLite, whose triggers sit on <c>lessons</c> and would outlive the table they write.</summary>
    public const string SqliteDropLessonTriggers =
        "DROP TRIGGER IF EXISTS lessons_stats_insert; DROP TRIGGER IF EXISTS lessons_stats_delete; DROP TRIGGER IF EXISTS lessons_stats_update;";

    // SQLite has one writer at a time, so one shard (0) is enough; booleans are 0 or 1 already.
    private const string SqliteLessonDelta = """
        INSERT INTO lesson_stats (day, shard, sent, opened, machine_opened, clicked, completed)
        VALUES ({0}.day, 0, {1}({0}.sent_at IS NOT NULL), {1}({0}.opened_at IS NOT NULL),
                {1}({0}.machine_opened_at IS NOT NULL AND {0}.opened_at IS NULL), {1}({0}.clicked_at IS NOT NULL), {1}({0}.completed_at IS NOT NULL))
        ON CONFLICT (day, shard) DO UPDATE SET
            sent = sent + excluded.sent, opened = opened + excluded.opened, machine_opened = machine_opened + excluded.machine_opened,
            clicked = clicked + excluded.clicked, completed = completed + excluded.completed;
        """;

    private const string SqliteEnrollmentDelta = """
        INSERT INTO enrollment_stats (name, shard, count) VALUES ({0}.status, 0, {1}1) ON CONFLICT (name, shard) DO UPDATE SET count = count + excluded.count;
        INSERT INTO enrollment_stats (name, shard, count) SELECT 'completed', 0, {1}1 WHERE {0}.completed_at IS NOT NULL
            ON CONFLICT (name, shard) DO UPDATE SET count = count + excluded.count;
        """;

    public static string SqliteUp =>
        $"""
        CREATE TRIGGER lessons_stats_insert AFTER INSERT ON lessons BEGIN {string.Format(SqliteLessonDelta, "NEW", "+")} END;
        CREATE TRIGGER lessons_stats_delete AFTER DELETE ON lessons BEGIN {string.Format(SqliteLessonDelta, "OLD", "-")} END;
        CREATE TRIGGER lessons_stats_update AFTER UPDATE OF sent_at, opened_at, machine_opened_at, clicked_at, completed_at ON lessons
        BEGIN {string.Format(SqliteLessonDelta, "OLD", "-")} {string.Format(SqliteLessonDelta, "NEW", "+")} END;
        CREATE TRIGGER enrollments_stats_insert AFTER INSERT ON enrollments BEGIN {string.Format(SqliteEnrollmentDelta, "NEW", "+")} END;
        CREATE TRIGGER enrollments_stats_delete AFTER DELETE ON enrollments BEGIN {string.Format(SqliteEnrollmentDelta, "OLD", "-")} END;
        CREATE TRIGGER enrollments_stats_update AFTER UPDATE OF status, completed_at ON enrollments
        BEGIN {string.Format(SqliteEnrollmentDelta, "OLD", "-")} {string.Format(SqliteEnrollmentDelta, "NEW", "+")} END;

        """;

    public const string SqliteDown = """
        DROP TRIGGER IF EXISTS lessons_stats_insert; DROP TRIGGER IF EXISTS lessons_stats_delete; DROP TRIGGER IF EXISTS lessons_stats_update;
        DROP TRIGGER IF EXISTS enrollments_stats_insert; DROP TRIGGER IF EXISTS enrollments_stats_delete; DROP TRIGGER IF EXISTS enrollments_stats_update;
        """;
}
