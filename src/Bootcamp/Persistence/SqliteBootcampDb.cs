using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Persistence;

public sealed class SqliteBootcampDb(DbContextOptions<SqliteBootcampDb> options) : BootcampDb(options)
{
    public override bool IsPostgres => false;
}
