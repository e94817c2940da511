using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Persistence;

public sealed class PostgresBootcampDb(DbContextOptions<PostgresBootcampDb> options) : BootcampDb(options)
{
    public override bool IsPostgres => true;
}
