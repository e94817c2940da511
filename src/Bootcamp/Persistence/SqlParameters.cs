using System.Data.Common;
using System.Globalization;

namespace Bootcamp.Persistence;

/// <summary>Parameters for the few statements written as plain SQL, on either provider.</summary>
public static class SqlParameters
{
    public static DbParameter Parameter(this BootcampDb db, string name, object value) => db.IsPostgres
        ? new Npgsql.NpgsqlParameter(name, value)
        : new Microsoft.Data.Sqlite.SqliteParameter(name, value is DateTime time ? SqliteTime(time) : value);

    // EF Core stores DateTime in SQLite as this text, which sorts and compares as time does.
    private static string SqliteTime(DateTime value) => value.ToString("yyyy'-'MM'-'dd HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture);
}
