using System.Data.Common;
using System.Net.Sockets;

namespace Bootcamp.Persistence;

public static class DatabaseErrors
{
    /// <summary>A unique index refused the row: someone else's write got there first.</summary>
    public static bool IsUniqueViolation(DbException e) => e switch
    {
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        // SQLITE_CONSTRAINT_UNIQUE (2067); SQLITE_CONSTRAINT (19) on its own also covers NOT NULL and CHECK.
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067,
        _ => false,
    };

    /// <summary>
    /// The exception (or one it wraps: EF Core, Hangfire and Npgsql each add a layer) that says the database
    /// cannot be reached or will not serve now; null when the failure is anything else. Callers answer 503 or
    /// try again later instead of treating it as a bug.
    /// </summary>
    public static Exception? Unreachable(Exception? e)
    {
        for (var depth = 0; e is not null && depth < 10; depth++, e = e.InnerException)
        {
            if (IsUnreachable(e))
            {
                return e;
            }
            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                e = aggregate.InnerExceptions[0];
                if (IsUnreachable(e))
                {
                    return e;
                }
            }
        }
        return null;
    }

    private static bool IsUnreachable(Exception e) => e switch
    {
        // Shut down by an administrator or a crash, not accepting connections yet, or the connection failed
        // (class 08). Other PostgreSQL errors, transient ones such as serialization failures included, are answers.
        Npgsql.PostgresException postgres => postgres.SqlState is "57P01" or "57P02" or "57P03" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        // Npgsql marks refused, reset and timed-out connections (and an exhausted pool) as transient.
        Npgsql.NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        // SQLITE_BUSY and SQLITE_LOCKED after the busy timeout: another writer holds the file for too long.
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        _ => false,
    };
}
