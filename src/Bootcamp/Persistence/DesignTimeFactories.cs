using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bootcamp.Persistence;

/// <summary>Lets `dotnet ef migrations add` build each provider's context without starting the host.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBootcampDb>
{
    public PostgresBootcampDb CreateDbContext(string[] args) =>
        new(Persistence.Configure(new DbContextOptionsBuilder<PostgresBootcampDb>(), StorageProvider.Postgres, "Host=localhost").Options);
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBootcampDb>
{
    public SqliteBootcampDb CreateDbContext(string[] args) =>
        new(Persistence.Configure(new DbContextOptionsBuilder<SqliteBootcampDb>(), StorageProvider.Sqlite, "Data Source=design.db").Options);
}
