using System.Data.Common;

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
}
