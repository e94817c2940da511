namespace Bootcamp.Persistence.Migrations;

/// <summary>
/// The triggers behind lesson_stats and enrollment_stats. Every change of a lesson's or an
/// enrollment's row adjusts the totals in the same transaction, so the dashboard is exact without
/// counting; the migration also backfills totals from rows that already exist.
/// </summary>
internal static class StatsTriggers
{
    public const string PostgresUp = """
        CREATE FUNCTION lessons_stats() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            d_sent int := 0; d_opened int := 0; d_machine int := 0; d_clicked int := 0; d_completed int := 0;
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                d_sent := d_sent - (OLD.sent_at IS NOT NULL)::int;
                d_opened := d_opened - (OLD.opened_at IS NOT NULL)::int;
                d_machine := d_machine - (OLD.machine_opened_at IS NOT NULL AND OLD.opened_at IS NULL)::int;
                d_clicked := d_clicked - (OLD.clicked_at IS NOT NULL)::int;
                d_completed := d_completed - (OLD.completed_at IS NOT NULL)::int;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                d_sent := d_sent + (NEW.sent_at IS NOT NULL)::int;
                d_opened := d_opened + (NEW.opened_at IS NOT NULL)::int;
                d_machine := d_machine + (NEW.machine_opened_at IS NOT NULL AND NEW.opened_at IS NULL)::int;
                d_clicked := d_clicked + (NEW.clicked_at IS NOT NULL)::int;
                d_completed := d_completed + (NEW.completed_at IS NOT NULL)::int;
            END IF;
            IF d_sent <> 0 OR d_opened <> 0 OR d_machine <> 0 OR d_clicked <> 0 OR d_completed <> 0 THEN
                INSERT INTO lesson_stats AS s (day, shard, sent, opened, machine_opened, clicked, completed)
                VALUES (COALESCE(NEW.day, OLD.day), COALESCE(NEW.id, OLD.id) % 16, d_sent, d_opened, d_machine, d_clicked, d_completed)
                ON CONFLICT (day, shard) DO UPDATE SET
                    sent = s.sent + EXCLUDED.sent, opened = s.opened + EXCLUDED.opened,
                    machine_opened = s.machine_opened + EXCLUDED.machine_opened,
                    clicked = s.clicked + EXCLUDED.clicked, completed = s.completed + EXCLUDED.completed;
            END IF;
            RETURN NULL;
        END $$;

        CREATE TRIGGER lessons_stats AFTER INSERT OR DELETE OR UPDATE OF sent_at, opened_at, machine_opened_at, clicked_at, completed_at
            ON lessons FOR EACH ROW EXECUTE FUNCTION lessons_stats();

        CREATE FUNCTION enrollments_stats() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO enrollment_stats AS s (name, shard, count) VALUES (OLD.status, OLD.id % 16, -1)
                    ON CONFLICT (name, shard) DO UPDATE SET count = s.count - 1;
                IF OLD.completed_at IS NOT NULL THEN
                    INSERT INTO enrollment_stats AS s (name, shard, count) VALUES ('completed', OLD.id % 16, -1)
                        ON CONFLICT (name, shard) DO UPDATE SET count = s.count - 1;
                END IF;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO enrollment_stats AS s (name, shard, count) VALUES (NEW.status, NEW.id % 16, 1)
                    ON CONFLICT (name, shard) DO UPDATE SET count = s.count + 1;
                IF NEW.completed_at IS NOT NULL THEN
                    INSERT INTO enrollment_stats AS s (name, shard, count) VALUES ('completed', NEW.id % 16, 1)
                        ON CONFLICT (name, shard) DO UPDATE SET count = s.count + 1;
                END IF;
            END IF;
            RETURN NULL;
        END $$;

        CREATE TRIGGER enrollments_stats AFTER INSERT OR DELETE OR UPDATE OF status, completed_at
            ON enrollments FOR EACH ROW EXECUTE FUNCTION enrollments_stats();

        INSERT INTO lesson_stats (day, shard, sent, opened, machine_opened, clicked, completed)
        SELECT day, id % 16, count(sent_at), count(opened_at), count(*) FILTER (WHERE machine_opened_at IS NOT NULL AND opened_at IS NULL),
               count(clicked_at), count(completed_at)
        FROM lessons GROUP BY day, id % 16;
        INSERT INTO enrollment_stats (name, shard, count) SELECT status, id % 16, count(*) FROM enrollments GROUP BY status, id % 16;
        INSERT INTO enrollment_stats (name, shard, count) SELECT 'completed', id % 16, count(*) FROM enrollments WHERE completed_at IS NOT NULL GROUP BY id % 16;
        """;

    public const string PostgresDown = """
        DROP TRIGGER IF EXISTS lessons_stats ON lessons;
        DROP FUNCTION IF EXISTS lessons_stats();
        DROP TRIGGER IF EXISTS enrollments_stats ON enrollments;
        DROP FUNCTION IF EXISTS enrollments_stats();
        """;

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

        INSERT INTO lesson_stats (day, shard, sent, opened, machine_opened, clicked, completed)
        SELECT day, 0, count(sent_at), count(opened_at), sum(machine_opened_at IS NOT NULL AND opened_at IS NULL), count(clicked_at), count(completed_at)
        FROM lessons GROUP BY day;
        INSERT INTO enrollment_stats (name, shard, count) SELECT status, 0, count(*) FROM enrollments GROUP BY status;
        INSERT INTO enrollment_stats (name, shard, count) SELECT 'completed', 0, count(*) FROM enrollments WHERE completed_at IS NOT NULL HAVING count(*) > 0;
        """;

    public const string SqliteDown = """
        DROP TRIGGER IF EXISTS lessons_stats_insert; DROP TRIGGER IF EXISTS lessons_stats_delete; DROP TRIGGER IF EXISTS lessons_stats_update;
        DROP TRIGGER IF EXISTS enrollments_stats_insert; DROP TRIGGER IF EXISTS enrollments_stats_delete; DROP TRIGGER IF EXISTS enrollments_stats_update;
        """;
}
