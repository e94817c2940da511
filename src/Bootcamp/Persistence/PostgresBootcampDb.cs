using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Persistence;

public sealed class PostgresBootcampDb(DbContextOptions<PostgresBootcampDb> options) : BootcampDb(options)
{
    public override bool IsPostgres => true;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // The address index also answers the admin's prefix search (LIKE 'a%') under any database collation: a plain
        // index does only under "C", and Debian's default databases are en_US.UTF-8. Equality uses it as before.
        modelBuilder.Entity<EnrollmentRecord>().HasIndex(x => new { x.EmailKey, x.Id }).HasOperators("varchar_pattern_ops", "int8_ops");
    }
}
