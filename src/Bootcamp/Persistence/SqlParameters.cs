using System.Data.Common;
using System.Globalization;

namespace Bootcamp.Persistence;

/// <summary>Parameters for the few statements written as plain SQL, on either provider.</summary>
public static class SqlParameters
{
    public static DbParameter Parameter(this BootcampDb db, string name, object value) => db.IsPostgres
        ? new Npgsql.NpgsqlParameter(name, value)
        : new Microsoft.Data.Sqlite.SqliteParameter(name, value is DateTime time ? SqliteTime(time) : value);

    /// <summary>@p0, @p1, @p2: the shape of the claim statements.</summary>
    public static object[] Parameters(this BootcampDb db, DateTime p0, DateTime p1, int p2) =>
        [db.Parameter("p0", p0), db.Parameter("p1", p1), db.Parameter("p2", p2)];

    // EF Core stores DateTime in SQLite as this text, which sorts and compares as time does.
    private static string SqliteTime(DateTime value) => value.ToString("yyyy'-'MM'-'dd HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture);
}
