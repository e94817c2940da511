using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>An operator starts several processes at once on a fresh PostgreSQL database (a deployment of N replicas).</summary>
public sealed class ConcurrentStartTests
{
    [Fact]
    public async Task Four_processes_preparing_a_fresh_database_together_all_start_and_apply_each_migration_once()
    {
        var storage = await TestStorage.CreateAsync("Postgres");
        string[] args = [$"--contentRoot={RepositoryRoot.Path}", "--Admin:Email=", "--Admin:Password=", .. storage.Arguments()];
        var apps = Enumerable.Range(0, 4).Select(_ => BootcampApp.Build(args)).ToList();
        try
        {
            // Each preparer has its own service provider, hence its own connections: as four processes would.
            var starts = apps.Select(app => Task.Run(() => app.Services.PrepareDatabaseAsync())).ToList();
            var failures = new List<string>();
            foreach (var start in starts)
            {
                try
                {
                    await start;
                }
                catch (Exception e)
                {
                    failures.Add(e.Message);
                }
            }
            Assert.Empty(failures);

            await using var scope = apps[0].Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BootcampDb>();
            var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
            Assert.Equal(db.Database.GetMigrations(), applied);
            // Every process reads the same link-token key: one was created, the others found it.
            Assert.Single(await db.Secrets.Where(s => s.Name == "link-token").ToListAsync());
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }
}
