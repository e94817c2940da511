using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Lessons;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Bootcamp.UnitTests.Delivery;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bootcamp.UnitTests.Courses;

/// <summary>
/// The course's record on a real, empty database of either provider: SQLite in memory (one connection kept
/// open) or a fresh PostgreSQL database. The clock is fake; nothing else is.
/// </summary>
internal sealed class RecordRig : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 20, 9, 30, 0, TimeSpan.Zero);

    private readonly SqliteConnection? _sqlite;
    private readonly string? _postgres;

    private RecordRig(string provider, SqliteConnection? sqlite, string? postgres)
    {
        Provider = provider;
        _sqlite = sqlite;
        _postgres = postgres;
    }

    public string Provider { get; }
    public FakeTimeProvider Time { get; } = new(Start);
    public CampaignOptions Campaign { get; } = new() { SendAt = "08:00", DayLength = TimeSpan.FromDays(1) };
    public AppSecrets Secrets { get; } = new() { AddressHashKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), LinkTokenKey = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray() };
    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    public static async Task<RecordRig> StartAsync(string provider)
    {
        RecordRig rig;
        if (provider == "Postgres")
        {
            rig = new RecordRig(provider, null, await PostgresServer.CreateDatabaseAsync("record"));
        }
        else
        {
            var connection = new SqliteConnection("Data Source=:memory:");
            await connection.OpenAsync();
            rig = new RecordRig(provider, connection, null);
        }
        await using var db = rig.Db();
        await db.Database.MigrateAsync();
        return rig;
    }

    /// <summary>A fresh context, as each request or job gets its own scope.</summary>
    public BootcampDb Db()
    {
        if (_postgres is not null)
        {
            var postgres = global::Bootcamp.Persistence.Persistence.Configure(new DbContextOptionsBuilder<PostgresBootcampDb>(), StorageProvider.Postgres, _postgres);
            return new PostgresBootcampDb(postgres.Options);
        }
        var sqlite = global::Bootcamp.Persistence.Persistence.Configure(new DbContextOptionsBuilder<SqliteBootcampDb>(), StorageProvider.Sqlite, "Data Source=:memory:");
        sqlite.UseSqlite(_sqlite!);
        return new SqliteBootcampDb(sqlite.Options);
    }

    /// <summary>Runs one transition in a scope of its own.</summary>
    public async Task<T> RecordAsync<T>(Func<CourseRecord, Task<T>> transition)
    {
        await using var db = Db();
        return await transition(new CourseRecord(db, new SuppressionList(db, new AddressHasher(Secrets), Time), TestOwner.Instance, Options.Create(Campaign), Time));
    }

    public async Task<T> LessonsAsync<T>(Func<LessonStore, Task<T>> transition)
    {
        await using var db = Db();
        return await transition(new LessonStore(db, TestOwner.Instance));
    }

    public async Task<EnrollmentRecord> SeedAsync(EnrollmentBuilder builder)
    {
        await using var db = Db();
        return await builder.SaveAsync(db, Now);
    }

    /// <summary>A sign-up waiting to be confirmed, asked for a minute ago.</summary>
    public async Task<long> SeedPendingAsync(string email, string timeZone = "Europe/Berlin")
    {
        var enrollment = await SeedAsync(new EnrollmentBuilder().For(email).InZone(timeZone).WithStatus(EnrollmentStatus.Pending));
        await using var db = Db();
        await db.Lessons.Where(l => l.EnrollmentId == enrollment.Id).ExecuteDeleteAsync();
        await db.Enrollments.Where(e => e.Id == enrollment.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.ConfirmationRequestedAt, Now.AddMinutes(-1)));
        return enrollment.Id;
    }

    /// <summary>The record as it is now, read afresh: the enrollment and its lessons in order.</summary>
    public async Task<EnrollmentRecord> EnrollmentAsync(long id)
    {
        await using var db = Db();
        return await db.Enrollments.AsNoTracking().Include(e => e.Lessons.OrderBy(l => l.Day)).SingleAsync(e => e.Id == id);
    }

    /// <summary>The outbox's events for one enrollment, oldest first, as "type" or "type:day".</summary>
    public async Task<List<string>> EventsAsync(long enrollmentId)
    {
        await using var db = Db();
        var events = await db.Outbox.AsNoTracking().Where(e => e.EnrollmentId == enrollmentId).OrderBy(e => e.Id).ToListAsync();
        return [.. events.Select(e => e.Day is { } day ? $"{e.Type}:{day}" : e.Type)];
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
        }
    }
}
