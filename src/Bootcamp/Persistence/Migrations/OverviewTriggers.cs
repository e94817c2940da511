namespace Bootcamp.Persistence.Migrations;

/// <summary>
/// The triggers behind overview_counts and activity_counts, and the recount they must always equal.
/// Each lesson row counts under its course's sign-up day and discretion; a change of the course's
/// discretion or tracking choice moves its lessons' counts in the same statement.
/// Lock order, so that two transactions never deadlock on the totals: a lesson statement touches
/// lesson-level rows (day 1–7) only, an enrollment statement touches the course rows (day 0) after any
/// lesson-level rows it moves, and both upsert in key order. Transitions that write lessons then their
/// course (a send, then the course's finish) therefore take locks in one global order.
/// </summary>
public static class OverviewTriggers
{
    /// <summary>
    /// Rows per key, so concurrent senders don't queue on one row. PostgreSQL's triggers write the shard of the
    /// session (<see cref="WriterShard"/>); the recount and SQLite's triggers use the course's id. A total is the
    /// sum over its shards, whichever wrote them.
    /// </summary>
    public const int Shards = 8;

    /// <summary>
    /// The shard a PostgreSQL trigger writes: its session's. By the course's id, every sender's chunk of 20 lessons
    /// touched all eight shards of the day's rows, so every send took its turn on the same few rows (and their
    /// pages): measured with eight sessions recording sends at once, the counter triggers cost ~3× their
    /// single-session price; by session, each sender mostly finds its own rows.
    /// </summary>
    private const string WriterShard = "pg_backend_pid() % 8"; // 8: Shards

    private sealed record Measure(string Column, string? Course, string? Lesson);

    // {e}: the course's row, {l}: the lesson's row. A course measure counts on day 0, a lesson measure on its day.
    private static readonly Measure[] Measures =
    [
        new("enrolled", "1 = 1", null),
        new("confirmed", "{e}.confirmed_at IS NOT NULL", null),
        new("finished", "{e}.finished_at IS NOT NULL", null),
        new("completed", "{e}.completed_at IS NOT NULL", null),
        new("left_course", "{e}.unsubscribed_at IS NOT NULL AND {e}.confirmed_at IS NOT NULL", null),
        new("sent", null, "{l}.sent_at IS NOT NULL"),
        new("opened", null, "{l}.opened_at IS NOT NULL"),
        new("machine_opened", null, "{l}.machine_opened_at IS NOT NULL AND {l}.opened_at IS NULL"),
        new("clicked", null, "{l}.clicked_at IS NOT NULL"),
        new("done", null, "{l}.completed_at IS NOT NULL"),
        new("untracked", null, "{l}.sent_at IS NOT NULL AND {e}.no_tracking"),
        new("failed", null, "{l}.state = 'Failed'"),
    ];

    /// <summary>A lesson row that counts for nothing (claimed, scheduled, held) never reaches the upsert.</summary>
    private const string LessonCounts =
        "({l}.sent_at IS NOT NULL OR {l}.opened_at IS NOT NULL OR {l}.machine_opened_at IS NOT NULL OR {l}.clicked_at IS NOT NULL OR {l}.completed_at IS NOT NULL OR {l}.state = 'Failed')";

    private static readonly string Columns = string.Join(", ", Measures.Select(m => m.Column));

    private static string Cohort(bool pg, string e) => pg ? $"({e}.created_at AT TIME ZONE 'UTC')::date" : $"date({e}.created_at)";

    private static string Int(bool pg, string condition) => pg ? $"({condition})::int" : $"({condition})";

    private static string Fill(string template, string l, string e) => template.Replace("{l}", l).Replace("{e}", e);

    /// <summary>One lesson's counts as a row of the table's columns, signed.</summary>
    private static string LessonRow(bool pg, string l, string e, string sign, string? shard = null) =>
        $"{Cohort(pg, e)} AS cohort, {e}.discreet AS discreet, {l}.day AS day, {shard ?? $"{l}.enrollment_id % {Shards}"} AS shard, "
        + string.Join(", ", Measures.Select(m => (m.Lesson is null ? "0" : sign + Int(pg, Fill(m.Lesson, l, e))) + " AS " + m.Column));

    /// <summary>One course's counts as a row of the table's columns, signed.</summary>
    private static string CourseRow(bool pg, string e, string sign, string? shard = null) =>
        $"{Cohort(pg, e)} AS cohort, {e}.discreet AS discreet, 0 AS day, {shard ?? $"{e}.id % {Shards}"} AS shard, "
        + string.Join(", ", Measures.Select(m => (m.Course is null ? "0" : sign + Int(pg, Fill(m.Course, "", e))) + " AS " + m.Column));

    // ---------- PostgreSQL: statement-level triggers over transition tables ----------

    private static string Upsert(string rows) => $"""
        INSERT INTO overview_counts AS s (cohort, discreet, day, shard, {Columns})
        SELECT cohort, discreet, day, shard, {string.Join(", ", Measures.Select(m => $"sum({m.Column})"))}
        FROM ({rows}) AS d
        GROUP BY cohort, discreet, day, shard
        HAVING {string.Join(" OR ", Measures.Select(m => $"sum({m.Column}) <> 0"))}
        ORDER BY day = 0, cohort, discreet, day, shard
        ON CONFLICT (cohort, discreet, day, shard) DO UPDATE SET {string.Join(", ", Measures.Select(m => $"{m.Column} = s.{m.Column} + EXCLUDED.{m.Column}"))};
        """;

    private static string ActivityUpsert(string rows) => $"""
        INSERT INTO activity_counts AS s (name, bucket, shard, count)
        SELECT name, bucket, shard, sum(delta) FROM ({rows}) AS d
        GROUP BY name, bucket, shard HAVING sum(delta) <> 0 ORDER BY name, bucket, shard
        ON CONFLICT (name, bucket, shard) DO UPDATE SET count = s.count + EXCLUDED.count;
        """;

    private static string PgLessons(string table, string sign) =>
        $"SELECT {LessonRow(true, "l", "e", sign, WriterShard)} FROM {table} AS l JOIN enrollments AS e ON e.id = l.enrollment_id WHERE {Fill(LessonCounts, "l", "e")}";

    private static string PgSent(string table, string sign, string shard = WriterShard) =>
        $"SELECT 'sent' AS name, date_trunc('hour', l.sent_at, 'UTC') AS bucket, {shard} AS shard, {sign}1 AS delta FROM {table} AS l WHERE l.sent_at IS NOT NULL";

    /// <summary>A reply's kind, from its enhanced status code (RFC 3463) as DeliveryFailureClassifier reads it.</summary>
    private static string FailureName(string error) =>
        $"CASE WHEN {error} LIKE '%5.7.%' OR {error} LIKE '%5.1.7%' OR {error} LIKE '%5.1.8%' THEN 'failed_policy' WHEN {error} LIKE '%5.1.%' THEN 'failed_bounce' ELSE 'failed_5xx' END";

    // Deferred after a 4xx (back to Scheduled with one attempt more) or failed for good: logged at the hour it happened.
    private static readonly string PgFailures = $"""
        SELECT CASE WHEN n.state = 'Scheduled' THEN 'retried' ELSE {FailureName("coalesce(n.last_error, '')")} END AS name,
               date_trunc('hour', now(), 'UTC') AS bucket, {WriterShard} AS shard, 1 AS delta
        FROM lessons_new AS n JOIN lessons_old AS o ON o.id = n.id
        WHERE (n.state = 'Scheduled' AND n.attempts > o.attempts) OR (n.state = 'Failed' AND o.state <> 'Failed')
        """;

    private static string PgCourses(string table, string sign) => $"SELECT {CourseRow(true, "e", sign, WriterShard)} FROM {table} AS e";

    private static string PgCourseActivity(string table, string sign, string shard = WriterShard) => $"""
        SELECT 'signed_up' AS name, date_trunc('day', e.created_at, 'UTC') AS bucket, {shard} AS shard, {sign}1 AS delta FROM {table} AS e
        UNION ALL SELECT 'confirmed', date_trunc('day', e.confirmed_at, 'UTC'), {shard}, {sign}1 FROM {table} AS e WHERE e.confirmed_at IS NOT NULL
        UNION ALL SELECT 'finished', date_trunc('day', e.finished_at, 'UTC'), {shard}, {sign}1 FROM {table} AS e WHERE e.finished_at IS NOT NULL
        """;

    /// <summary>
    /// A confirmed course that unsubscribes is logged under its sign-up day as "left after day N", N its lessons
    /// sent or being sent at that moment. Logged once, when it happens (an erasure later does not take it back).
    /// </summary>
    private static readonly string PgLeft = $"""
        SELECT 'left_' || (SELECT count(*) FROM lessons AS l WHERE l.enrollment_id = n.id AND l.state IN ('Sent', 'Sending'))
                  || CASE WHEN n.discreet THEN 'd' ELSE '' END AS name,
               date_trunc('day', n.created_at, 'UTC') AS bucket, {WriterShard} AS shard, 1 AS delta
        FROM enrollments_new AS n JOIN enrollments_old AS o ON o.id = n.id
        WHERE n.unsubscribed_at IS NOT NULL AND o.unsubscribed_at IS NULL AND n.confirmed_at IS NOT NULL
        """;

    // The lessons of courses whose discretion or tracking changed, counted out as they were and in as they are.
    private const string PgMoved = """
        FROM enrollments_new AS n JOIN enrollments_old AS o ON o.id = n.id JOIN lessons AS l ON l.enrollment_id = n.id
        WHERE (n.discreet, n.no_tracking, n.created_at) IS DISTINCT FROM (o.discreet, o.no_tracking, o.created_at)
        """;

    private static string Function(string name, params string[] statements) => $$"""
        CREATE OR REPLACE FUNCTION {{name}}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
        {{string.Concat(statements)}}
            RETURN NULL;
        END $$;

        """;

    /// <summary>
    /// A statement that joins the old and the new transition table, run only <paramref name="when"/> (a condition
    /// on them that needs no join) and planned afresh each time. PL/pgSQL keeps the plan it made on a function's
    /// first call, when the tables held a few rows: a nested loop, which on a 20,000-row update compared
    /// 400,000,000 pairs (172 s, measured); planned with the tables' real sizes it hashes them.
    /// </summary>
    private static string JoinedOnlyWhen(string when, string tag, string statement) => $"""
            IF EXISTS ({when}) THEN
                EXECUTE ${tag}${statement.TrimEnd().TrimEnd(';')}${tag}$;
            END IF;

        """;

    // Only an update that leaves a lesson Scheduled (a retry) or Failed can count as a failure or a retry.
    private static readonly string LessonFailures = JoinedOnlyWhen(
        "SELECT 1 FROM lessons_new WHERE state IN ('Scheduled', 'Failed')", "failures", ActivityUpsert(PgFailures));

    // Lesson-level rows first, then the course's (the lock order above): the moved lessons before the course upsert.
    private static readonly string CourseLessonsMoved = JoinedOnlyWhen(
        "SELECT id, discreet, no_tracking, created_at FROM enrollments_new EXCEPT SELECT id, discreet, no_tracking, created_at FROM enrollments_old",
        "moved",
        Upsert($"SELECT {LessonRow(true, "l", "o", "-", WriterShard)} {PgMoved} AND {Fill(LessonCounts, "l", "o")} UNION ALL SELECT {LessonRow(true, "l", "n", "", WriterShard)} {PgMoved} AND {Fill(LessonCounts, "l", "n")}"));

    private static readonly string CourseLeft = JoinedOnlyWhen(
        "SELECT 1 FROM enrollments_new WHERE unsubscribed_at IS NOT NULL AND confirmed_at IS NOT NULL", "left", ActivityUpsert(PgLeft));

    /// <summary>
    /// The setting a transaction turns on (transaction-local) while it runs only lesson updates that either count
    /// nothing or count themselves (<see cref="SentCountedInline"/>): the sender's chunk and the dispatcher's claims.
    /// The trigger's runs for the chunk's statements cost the delivery benchmark about 13% (measured with the trigger
    /// dropped), for counts the statement can add itself.
    /// </summary>
    public const string CountedInline = "bootcamp.lessons_counted_inline";

    /// <summary>
    /// The same for the courses' update triggers (this class's and StatsTriggers'), while a transaction's course
    /// updates count themselves (<see cref="FinishedCountedInline"/>): for the ~3 courses a chunk ends they cost
    /// about 0.4 ms of PostgreSQL a chunk (measured with the triggers dropped). A setting of its own: a process of
    /// the version before sets only the lessons' around its chunk, whose end of courses the triggers must count.
    /// </summary>
    public const string CoursesCountedInline = "bootcamp.courses_counted_inline";

    /// <summary>Turns the counter triggers of lessons and courses off for the rest of the transaction (an implicit one: a batch).</summary>
    public const string NotCounting = $"SELECT set_config('{CountedInline}', 'on', true), set_config('{CoursesCountedInline}', 'on', true)";

    /// <summary>Turns them on again: the last command of a batch that began with <see cref="NotCounting"/>.</summary>
    public const string CountingAgain = $"SELECT set_config('{CountedInline}', 'off', true), set_config('{CoursesCountedInline}', 'off', true)";

    private static string SkipWhen(string setting) => $"""
            IF current_setting('{setting}', true) = 'on' THEN
                RETURN NULL;
            END IF;

        """;

    private static readonly string SkipWhenCountedInline = SkipWhen(CountedInline);

    /// <summary>A course trigger function's first lines: nothing to do while <see cref="CoursesCountedInline"/> is on.</summary>
    internal static readonly string SkipWhenCoursesCountedInline = SkipWhen(CoursesCountedInline);

    /// <summary>
    /// What the update trigger would add for lessons going from Sending to Sent, as CTEs of the statement that
    /// moves them (<paramref name="changed"/>: its rows' <c>enrollment_id</c> and <c>day</c>; <paramref name="at"/>:
    /// the sent time). Between those two states only <c>sent_at</c> changes among what counts (a lesson on its way
    /// was never sent: <c>sent_at</c> is set only by this move, and nothing moves a lesson back from Sent), so the
    /// difference is one sent, one untracked if the reader turned tracking off, and one sent in the hour's activity.
    /// The overview counters' property test holds this to a recount.
    /// </summary>
    public static string SentCountedInline(string changed, string at) => $"""
        sent_counts AS (
            INSERT INTO overview_counts AS s (cohort, discreet, day, shard, {Columns})
            SELECT {Cohort(true, "e")}, e.discreet, c.day, {WriterShard}, {string.Join(", ", Measures.Select(m => m.Column switch
            {
                "sent" => "count(*)",
                "untracked" => "count(*) FILTER (WHERE e.no_tracking)",
                _ => "0",
            }))}
            FROM {changed} AS c JOIN enrollments AS e ON e.id = c.enrollment_id
            GROUP BY 1, 2, 3, 4
            ORDER BY 1, 2, 3, 4
            ON CONFLICT (cohort, discreet, day, shard) DO UPDATE SET sent = s.sent + EXCLUDED.sent, untracked = s.untracked + EXCLUDED.untracked
            RETURNING 1),
        sent_activity AS (
            INSERT INTO activity_counts AS s (name, bucket, shard, count)
            SELECT 'sent', date_trunc('hour', {at}::timestamptz, 'UTC'), {WriterShard}, count(*) FROM {changed}
            -- Always true; reading sent_counts whole first keeps the triggers' lock order (counter rows, then activity
            -- rows): PostgreSQL runs unread data-modifying CTEs in an order of its own, and a reversed order could
            -- deadlock with an erasure's triggers on the same rows.
            HAVING count(*) > 0 AND (SELECT count(*) FROM sent_counts) >= 0
            ON CONFLICT (name, bucket, shard) DO UPDATE SET count = s.count + EXCLUDED.count)
        """;

    /// <summary>
    /// What the courses' update triggers (this class's and StatsTriggers') would add for courses going from Active to
    /// Finished, as CTEs of the statement that moves them (LessonStore's end of courses, in a sender's chunk or alone).
    /// <paramref name="changed"/>: its rows' <c>created_at</c> and <c>discreet</c>; <paramref name="at"/>: the
    /// finish time. Of what counts, that move changes only <c>status</c> and <c>finished_at</c>, and an active course
    /// has never finished (<c>finished_at</c> is set by this move alone, and nothing makes a finished course active
    /// again), so the difference is one finished on the course's row, one finish in the day's activity, and one
    /// course from Active to Finished in the totals. The overview counters' property test holds this to a recount.
    /// Lock order as the triggers': course rows, then activity rows, then the course totals.
    /// </summary>
    public static string FinishedCountedInline(string changed, string at) => $"""
        finished_counts AS (
            INSERT INTO overview_counts AS s (cohort, discreet, day, shard, {Columns})
            SELECT {Cohort(true, "c")}, c.discreet, 0, {WriterShard}, {string.Join(", ", Measures.Select(m => m.Column == "finished" ? "count(*)" : "0"))}
            FROM {changed} AS c
            GROUP BY 1, 2
            ORDER BY 1, 2
            ON CONFLICT (cohort, discreet, day, shard) DO UPDATE SET finished = s.finished + EXCLUDED.finished
            RETURNING 1),
        finished_activity AS (
            INSERT INTO activity_counts AS s (name, bucket, shard, count)
            SELECT 'finished', date_trunc('day', {at}::timestamptz, 'UTC'), {WriterShard}, count(*) FROM {changed}
            -- Always true: read whole first, as in SentCountedInline, to keep the lock order.
            HAVING count(*) > 0 AND (SELECT count(*) FROM finished_counts) >= 0
            ON CONFLICT (name, bucket, shard) DO UPDATE SET count = s.count + EXCLUDED.count
            RETURNING 1),
        {StatsTriggers.StatusMovedInline(changed, "finished_activity")}
        """;

    private static string LessonsUpdateFunction =>
        Function("lessons_overview_upd",
            SkipWhenCountedInline,
            Upsert(PgLessons("lessons_new", "") + " UNION ALL " + PgLessons("lessons_old", "-")),
            ActivityUpsert(PgSent("lessons_new", "") + " UNION ALL " + PgSent("lessons_old", "-")),
            LessonFailures);

    private static string EnrollmentsUpdateFunction =>
        Function("enrollments_overview_upd",
            SkipWhenCoursesCountedInline,
            CourseLessonsMoved,
            Upsert(PgCourses("enrollments_new", "") + " UNION ALL " + PgCourses("enrollments_old", "-")),
            ActivityUpsert(PgCourseActivity("enrollments_new", "") + " UNION ALL " + PgCourseActivity("enrollments_old", "-")),
            CourseLeft);

    /// <summary>Every trigger function, as <see cref="PostgresUp"/> creates them (and migrations DropLessonStats and SentCountedInline again, over older ones).</summary>
    public static string PostgresFunctions =>
        Function("lessons_overview_ins", Upsert(PgLessons("lessons_new", "")), ActivityUpsert(PgSent("lessons_new", "")))
        + LessonsUpdateFunction
        + Function("lessons_overview_del", Upsert(PgLessons("lessons_old", "-")), ActivityUpsert(PgSent("lessons_old", "-")))
        + Function("enrollments_overview_ins", Upsert(PgCourses("enrollments_new", "")), ActivityUpsert(PgCourseActivity("enrollments_new", "")))
        + EnrollmentsUpdateFunction
        + Function("enrollments_overview_del", Upsert(PgCourses("enrollments_old", "-")), ActivityUpsert(PgCourseActivity("enrollments_old", "-")));

    public static string PostgresUp =>
        PostgresFunctions
        + """
        CREATE TRIGGER lessons_overview_insert AFTER INSERT ON lessons REFERENCING NEW TABLE AS lessons_new
            FOR EACH STATEMENT EXECUTE FUNCTION lessons_overview_ins();
        CREATE TRIGGER lessons_overview_update AFTER UPDATE ON lessons REFERENCING OLD TABLE AS lessons_old NEW TABLE AS lessons_new
            FOR EACH STATEMENT EXECUTE FUNCTION lessons_overview_upd();
        CREATE TRIGGER lessons_overview_delete AFTER DELETE ON lessons REFERENCING OLD TABLE AS lessons_old
            FOR EACH STATEMENT EXECUTE FUNCTION lessons_overview_del();
        CREATE TRIGGER enrollments_overview_insert AFTER INSERT ON enrollments REFERENCING NEW TABLE AS enrollments_new
            FOR EACH STATEMENT EXECUTE FUNCTION enrollments_overview_ins();
        CREATE TRIGGER enrollments_overview_update AFTER UPDATE ON enrollments REFERENCING OLD TABLE AS enrollments_old NEW TABLE AS enrollments_new
            FOR EACH STATEMENT EXECUTE FUNCTION enrollments_overview_upd();
        CREATE TRIGGER enrollments_overview_delete AFTER DELETE ON enrollments REFERENCING OLD TABLE AS enrollments_old
            FOR EACH STATEMENT EXECUTE FUNCTION enrollments_overview_del();

        """
        + Backfill(true);

    public const string PostgresDown = """
        DROP TRIGGER IF EXISTS lessons_overview_insert ON lessons;
        DROP TRIGGER IF EXISTS lessons_overview_update ON lessons;
        DROP TRIGGER IF EXISTS lessons_overview_delete ON lessons;
        DROP TRIGGER IF EXISTS enrollments_overview_insert ON enrollments;
        DROP TRIGGER IF EXISTS enrollments_overview_update ON enrollments;
        DROP TRIGGER IF EXISTS enrollments_overview_delete ON enrollments;
        DROP FUNCTION IF EXISTS lessons_overview_ins(); DROP FUNCTION IF EXISTS lessons_overview_upd(); DROP FUNCTION IF EXISTS lessons_overview_del();
        DROP FUNCTION IF EXISTS enrollments_overview_ins(); DROP FUNCTION IF EXISTS enrollments_overview_upd(); DROP FUNCTION IF EXISTS enrollments_overview_del();
        """;

    // ---------- SQLite: row-level triggers (one writer at a time, so one shard would do; the same shards keep one recount) ----------

    private static string SqliteUpsert(string select) => $"""
        INSERT INTO overview_counts (cohort, discreet, day, shard, {Columns}) {select}
        ON CONFLICT (cohort, discreet, day, shard) DO UPDATE SET {string.Join(", ", Measures.Select(m => $"{m.Column} = {m.Column} + excluded.{m.Column}"))};
        """;

    private static string SqliteLesson(string l, string sign) =>
        SqliteUpsert($"SELECT {LessonRow(false, l, "e", sign)} FROM enrollments AS e WHERE e.id = {l}.enrollment_id AND {Fill(LessonCounts, l, "e")}");

    private static string SqliteActivity(string name, string bucket, string shard, string delta, string? when = null) => $"""
        INSERT INTO activity_counts (name, bucket, shard, count) SELECT {name}, {bucket}, {shard}, {delta} WHERE {when ?? "1 = 1"}
        ON CONFLICT (name, bucket, shard) DO UPDATE SET count = count + excluded.count;
        """;

    private static string Day(string column) => $"strftime('%Y-%m-%d 00:00:00', {column})";

    private static string Hour(string column) => $"strftime('%Y-%m-%d %H:00:00', {column})";

    private static string SqliteSent(string l, string sign) =>
        SqliteActivity("'sent'", Hour($"{l}.sent_at"), $"{l}.enrollment_id % {Shards}", sign + "1", $"{l}.sent_at IS NOT NULL");

    private static string SqliteCourse(string e, string sign) =>
        SqliteUpsert($"SELECT {CourseRow(false, e, sign)} WHERE 1 = 1")
        + SqliteActivity("'signed_up'", Day($"{e}.created_at"), $"{e}.id % {Shards}", sign + "1")
        + SqliteActivity("'confirmed'", Day($"{e}.confirmed_at"), $"{e}.id % {Shards}", sign + "1", $"{e}.confirmed_at IS NOT NULL")
        + SqliteActivity("'finished'", Day($"{e}.finished_at"), $"{e}.id % {Shards}", sign + "1", $"{e}.finished_at IS NOT NULL");

    private static string SqliteMoved(string e, string sign) =>
        SqliteUpsert($"SELECT {LessonRow(false, "l", e, sign)} FROM lessons AS l WHERE l.enrollment_id = NEW.id AND {Fill(LessonCounts, "l", e)}");

    private const string LessonChanged = """
        OLD.sent_at IS NOT NEW.sent_at OR OLD.opened_at IS NOT NEW.opened_at OR OLD.machine_opened_at IS NOT NEW.machine_opened_at
        OR OLD.clicked_at IS NOT NEW.clicked_at OR OLD.completed_at IS NOT NEW.completed_at OR (OLD.state = 'Failed') <> (NEW.state = 'Failed')
        """;

    public static string SqliteUp =>
        $"""
        CREATE TRIGGER lessons_overview_insert AFTER INSERT ON lessons BEGIN {SqliteLesson("NEW", "")} {SqliteSent("NEW", "")} END;
        CREATE TRIGGER lessons_overview_delete AFTER DELETE ON lessons BEGIN {SqliteLesson("OLD", "-")} {SqliteSent("OLD", "-")} END;
        CREATE TRIGGER lessons_overview_update AFTER UPDATE ON lessons WHEN {LessonChanged}
        BEGIN {SqliteLesson("OLD", "-")} {SqliteLesson("NEW", "")} {SqliteSent("OLD", "-")} {SqliteSent("NEW", "")} END;
        CREATE TRIGGER lessons_overview_failures AFTER UPDATE OF state, attempts ON lessons
        WHEN (NEW.state = 'Scheduled' AND NEW.attempts > OLD.attempts) OR (NEW.state = 'Failed' AND OLD.state <> 'Failed')
        BEGIN {SqliteActivity($"CASE WHEN NEW.state = 'Scheduled' THEN 'retried' ELSE {FailureName("coalesce(NEW.last_error, '')")} END", Hour("'now'"), $"NEW.enrollment_id % {Shards}", "1")} END;
        CREATE TRIGGER enrollments_overview_insert AFTER INSERT ON enrollments BEGIN {SqliteCourse("NEW", "")} END;
        CREATE TRIGGER enrollments_overview_delete AFTER DELETE ON enrollments BEGIN {SqliteCourse("OLD", "-")} END;
        CREATE TRIGGER enrollments_overview_update AFTER UPDATE ON enrollments
        WHEN OLD.created_at IS NOT NEW.created_at OR OLD.discreet IS NOT NEW.discreet OR OLD.confirmed_at IS NOT NEW.confirmed_at
          OR OLD.finished_at IS NOT NEW.finished_at OR OLD.completed_at IS NOT NEW.completed_at OR OLD.unsubscribed_at IS NOT NEW.unsubscribed_at
          OR OLD.no_tracking IS NOT NEW.no_tracking
        BEGIN {SqliteCourse("OLD", "-")} {SqliteCourse("NEW", "")} END;
        CREATE TRIGGER enrollments_overview_move AFTER UPDATE OF created_at, discreet, no_tracking ON enrollments
        WHEN OLD.created_at IS NOT NEW.created_at OR OLD.discreet IS NOT NEW.discreet OR OLD.no_tracking IS NOT NEW.no_tracking
        BEGIN {SqliteMoved("OLD", "-")} {SqliteMoved("NEW", "")} END;
        CREATE TRIGGER enrollments_overview_left AFTER UPDATE OF unsubscribed_at ON enrollments
        WHEN NEW.unsubscribed_at IS NOT NULL AND OLD.unsubscribed_at IS NULL AND NEW.confirmed_at IS NOT NULL
        BEGIN {SqliteActivity($"'left_' || (SELECT count(*) FROM lessons AS l WHERE l.enrollment_id = NEW.id AND l.state IN ('Sent', 'Sending')) || CASE WHEN NEW.discreet THEN 'd' ELSE '' END",
            Day("NEW.created_at"), $"NEW.id % {Shards}", "1")} END;

        """
        + Backfill(false);

    public const string SqliteDown = """
        DROP TRIGGER IF EXISTS lessons_overview_insert; DROP TRIGGER IF EXISTS lessons_overview_delete; DROP TRIGGER IF EXISTS lessons_overview_update;
        DROP TRIGGER IF EXISTS lessons_overview_failures; DROP TRIGGER IF EXISTS enrollments_overview_insert; DROP TRIGGER IF EXISTS enrollments_overview_delete;
        DROP TRIGGER IF EXISTS enrollments_overview_update; DROP TRIGGER IF EXISTS enrollments_overview_move; DROP TRIGGER IF EXISTS enrollments_overview_left;
        """;

    private static readonly string[] Tracking = ["opened", "machine_opened", "clicked"];

    /// <summary>
    /// Retention forgets who opened and clicked, not how many: run before the forgetting nulls those columns, this
    /// counts the courses' opens and clicks in once more, so the triggers' taking them out leaves the totals as they were.
    /// </summary>
    public static string KeepTrackingTotals(bool pg, IReadOnlyCollection<long> enrollmentIds) => $"""
        INSERT INTO overview_counts {(pg ? "AS s " : "")}(cohort, discreet, day, shard, {Columns})
        SELECT cohort, discreet, day, shard, {string.Join(", ", Measures.Select(m => Tracking.Contains(m.Column) ? $"sum({m.Column})" : "0"))}
        FROM (SELECT {LessonRow(pg, "l", "e", "")} FROM lessons AS l JOIN enrollments AS e ON e.id = l.enrollment_id
              WHERE l.enrollment_id IN ({string.Join(", ", enrollmentIds)})) AS d
        GROUP BY cohort, discreet, day, shard HAVING {string.Join(" OR ", Tracking.Select(c => $"sum({c}) <> 0"))}
        ORDER BY day = 0, cohort, discreet, day, shard
        ON CONFLICT (cohort, discreet, day, shard) DO UPDATE SET {string.Join(", ", Tracking.Select(c => pg ? $"{c} = s.{c} + EXCLUDED.{c}" : $"{c} = {c} + excluded.{c}"))}
        """;

    // ---------- The recount: what the totals must equal, and what fills them for a list that existed before them ----------

    /// <summary>
    /// Every total counted from the rows, grouped like the table; <paramref name="where"/> filters the courses (alias e).
    /// The overview uses it when a filter the totals are not kept by (status) is asked for.
    /// </summary>
    public static string Recount(bool pg, string where = "1 = 1") => $"""
        SELECT cohort, discreet, day, shard, {string.Join(", ", Measures.Select(m => $"sum({m.Column}) AS {m.Column}"))}
        FROM (SELECT {LessonRow(pg, "l", "e", "")} FROM lessons AS l JOIN enrollments AS e ON e.id = l.enrollment_id WHERE {where}
              UNION ALL SELECT {CourseRow(pg, "e", "")} FROM enrollments AS e WHERE {where}) AS d
        GROUP BY cohort, discreet, day, shard
        """;

    /// <summary>The recountable activity (sign-ups, confirmations, finishes per day; lessons sent per hour).</summary>
    public static string RecountActivity(bool pg) => pg
        ? $"""
          SELECT name, bucket, shard, count(*) AS count FROM (
            {PgCourseActivity("enrollments", "", "e.id % " + Shards)} UNION ALL {PgSent("lessons", "", "l.enrollment_id % " + Shards)}) AS d GROUP BY name, bucket, shard
          """
        : $"""
          SELECT name, bucket, shard, count(*) AS count FROM (
            SELECT 'signed_up' AS name, {Day("created_at")} AS bucket, id % {Shards} AS shard FROM enrollments
            UNION ALL SELECT 'confirmed', {Day("confirmed_at")}, id % {Shards} FROM enrollments WHERE confirmed_at IS NOT NULL
            UNION ALL SELECT 'finished', {Day("finished_at")}, id % {Shards} FROM enrollments WHERE finished_at IS NOT NULL
            UNION ALL SELECT 'sent', {Hour("sent_at")}, enrollment_id % {Shards} FROM lessons WHERE sent_at IS NOT NULL) AS d GROUP BY name, bucket, shard
          """;

    private static string Backfill(bool pg) => $"""
        INSERT INTO overview_counts (cohort, discreet, day, shard, {Columns})
        SELECT cohort, discreet, day, shard, {Columns} FROM ({Recount(pg)}) AS r WHERE 1 = 1;
        INSERT INTO activity_counts (name, bucket, shard, count) SELECT name, bucket, shard, count FROM ({RecountActivity(pg)}) AS r WHERE 1 = 1;

        """;
}
