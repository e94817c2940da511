namespace Bootcamp.Persistence;

/// <summary>
/// The PostgreSQL advisory lock keys this service takes, in one place: two uses sharing a key would wait on
/// each other (a starting process behind an IMAP poll, say).
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>Creating Hangfire's schema at start-up.</summary>
    public const long JobSchema = 726354001;

    /// <summary>One IMAP bounce poll at a time across processes.</summary>
    public const long BouncePoll = 726354002;

    /// <summary>Bringing the schema up to date at start-up, one process at a time (the whole run, not one migration).</summary>
    public const long Migrations = 726354003;

    /// <summary>
    /// Writers of outbox events hold it shared until they commit; the webhook fan-out takes it alone for an
    /// instant, so the highest event id it then reads has no uncommitted event below it.
    /// </summary>
    public const long OutboxWriters = 726354004;

    /// <summary>One process at a time forgets ended courses, so the totals it puts back are put back once.</summary>
    public const long Retention = 726354005;
}
