using Bootcamp.Persistence;
using Bootcamp.UnitTests.Courses;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.UnitTests.Persistence;

/// <summary>A build refuses a database that a newer build migrated (rolling back after an upgrade), on both providers.</summary>
public sealed class NewerSchemaTests
{
    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_database_migrated_by_a_newer_build_is_refused_by_the_migrations_name(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        await using var db = rig.Db();
        // Its own migrations only: nothing to refuse.
        await PersistenceModule.RefuseNewerSchemaAsync(db, CancellationToken.None);

        await db.Database.ExecuteSqlRawAsync("""INSERT INTO "__ef_migrations_history" (migration_id, product_version) VALUES ('29991231000000_FromANewerBuild', '10.0.0')""");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PersistenceModule.RefuseNewerSchemaAsync(db, CancellationToken.None));
        Assert.Contains("29991231000000_FromANewerBuild", refused.Message, StringComparison.Ordinal);
        Assert.Contains("newer Bootcamp", refused.Message, StringComparison.Ordinal);
    }
}
