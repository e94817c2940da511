using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using NSubstitute;

namespace Bootcamp.UnitTests.Delivery;

/// <summary>
/// The batch job's world: a real SQLite database in memory (one connection kept open for the test's life),
/// the real store, composer and suppression list, and substitutes only at the edges: the mail server,
/// the template renderer and the clock.
/// </summary>
internal sealed class DeliveryRig : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 6, 10, 6, 0, 0, TimeSpan.Zero);

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<(string To, Func<DeliveryFailure> Failure)> _rejections = [];

    public DeliveryRig()
    {
        Transport.OpenSessionAsync(Arg.Any<CancellationToken>()).Returns(_ => ValueTask.FromResult(Session));
        // Parsed back from its bytes: what a mail server would have received.
        Session.SendAsync(Arg.Any<OutgoingMessage>(), Arg.Any<CancellationToken>()).Returns(call => Deliver(call.Arg<OutgoingMessage>().ToMimeMessage()));
        Renderer.RenderLessonAsync(Arg.Any<LessonEmailModel>()).Returns(call =>
        {
            var model = call.Arg<LessonEmailModel>();
            var link = model.Link("https://988lifeline.org/");
            return ValueTask.FromResult(new RenderedEmail($"Day {model.Day} of 7", "Today's step", $"<p>Day {model.Day}</p><a href=\"{link}\">help</a>", $"Day {model.Day}\n{link}"));
        });
        Renderer.RenderConfirmAsync(Arg.Any<ConfirmEmailModel>()).Returns(call => ValueTask.FromResult(new RenderedEmail(
            "Confirm", "One click", $"<a href=\"{call.Arg<ConfirmEmailModel>().ConfirmUrl}\">Confirm</a>", call.Arg<ConfirmEmailModel>().ConfirmUrl)));
        Renderer.RenderFinishedAsync(Arg.Any<FinishedEmailModel>()).Returns(call => ValueTask.FromResult(new RenderedEmail(
            "You finished", "What comes next", "<p>You finished</p><a href=\"https://findahelpline.com/\">help</a>", "You finished\nhttps://findahelpline.com/")));
    }

    public FakeTimeProvider Time { get; } = new(Start);
    public IMailTransport Transport { get; } = Substitute.For<IMailTransport>();
    public IMailSession Session { get; } = Substitute.For<IMailSession>();
    public IEmailRenderer Renderer { get; } = Substitute.For<IEmailRenderer>();
    public AppSecrets Secrets { get; } = new() { AddressHashKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), LinkTokenKey = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray() };
    public LinkTokens Tokens => _tokens ??= new(new EphemeralDataProtectionProvider(), Secrets);

    private LinkTokens? _tokens;
    public CampaignOptions Campaign { get; } = new() { PublicBaseUrl = "https://bootcamp.example.org", PostalAddress = "1 Main Street, Springfield" };
    public DeliveryOptions Delivery { get; } = new() { RetryDelays = "00:00:30,00:05:00" };

    /// <summary>Every message the mail server accepted, in order.</summary>
    public List<MimeMessage> Accepted { get; } = [];

    /// <summary>Every message handed to the mail server, accepted or not.</summary>
    public List<MimeMessage> Attempted { get; } = [];

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    public static async Task<DeliveryRig> StartAsync()
    {
        var rig = new DeliveryRig();
        await rig._connection.OpenAsync();
        await using var db = rig.Db();
        await db.Database.MigrateAsync();
        return rig;
    }

    /// <summary>From now on the server answers this reply to every message for <paramref name="to"/>.</summary>
    public void Reject(string to, int status, string reply) =>
        _rejections.Add((to, () => DeliveryFailureClassifier.Classify(status, reply)));

    public void StopRejecting() => _rejections.Clear();

    /// <summary>A fresh context, as each job run gets its own scope.</summary>
    public SqliteBootcampDb Db()
    {
        var options = global::Bootcamp.Persistence.Persistence.Configure(new DbContextOptionsBuilder<SqliteBootcampDb>(), StorageProvider.Sqlite, "Data Source=:memory:");
        options.UseSqlite(_connection);
        return new SqliteBootcampDb(options.Options);
    }

    public MessageFactory Messages() => new(Campaign.Senders, Secrets, Time);

    public LessonComposer Composer() => new(Renderer, Messages(), Tokens, Options.Create(Campaign), Time);

    public FinishedNoteComposer NoteComposer() => new(Renderer, Messages(), Options.Create(Campaign));

    public AddressHasher Hasher() => new(Secrets);

    /// <summary>What the templates were last given to render a lesson with.</summary>
    public LessonEmailModel LastLessonModel() =>
        (LessonEmailModel)Renderer.ReceivedCalls().Last(c => c.GetMethodInfo().Name == nameof(IEmailRenderer.RenderLessonAsync)).GetArguments()[0]!;

    /// <summary>Runs one batch job as Hangfire would: a new scope, the ids, nothing else.</summary>
    public async Task RunBatchAsync(params long[] lessonIds)
    {
        await using var db = Db();
        var job = new LessonBatchJob(
            new LessonStore(db, TestOwner.Instance),
            Composer(),
            Transport,
            Record(db),
            Options.Create(Delivery),
            Options.Create(Campaign),
            Time,
            Metrics(),
            NullLogger<LessonBatchJob>.Instance);
        await job.SendAsync(lessonIds, CancellationToken.None);
    }

    /// <summary>Runs one finished-note job as Hangfire would: a new scope, the enrollment ids, nothing else.</summary>
    public async Task RunNoteBatchAsync(params long[] enrollmentIds)
    {
        await using var db = Db();
        var job = new FinishedNoteJob(
            new FinishedNoteStore(db, TestOwner.Instance),
            NoteComposer(),
            Transport,
            new SuppressionList(db, Hasher(), Time),
            Hasher(),
            Options.Create(Delivery),
            Time,
            Metrics(),
            NullLogger<FinishedNoteJob>.Instance);
        await job.SendAsync(enrollmentIds, CancellationToken.None);
    }

    /// <summary>The dispatcher's claim of finished notes at the current time; returns their enrollments.</summary>
    public async Task<long[]> ClaimDueNotesAsync()
    {
        await using var db = Db();
        return await new FinishedNoteStore(db, TestOwner.Instance).ClaimDueAsync(Now, Now - Delivery.ClaimLease, Delivery.BatchSize, CancellationToken.None);
    }

    /// <summary>One tick of the Quartz dispatcher, handing its batches to <paramref name="jobs"/>.</summary>
    public async Task<int> DispatchAsync(Hangfire.IBackgroundJobClient jobs)
    {
        await using var db = Db();
        var dispatcher = new DispatchDueLessonsJob(Record(db), new LessonStore(db, TestOwner.Instance), new FinishedNoteStore(db, TestOwner.Instance), jobs, Options.Create(Delivery), Options.Create(Campaign), Time,
            new Bootcamp.Persistence.DatabaseOutage(Time, NullLogger<Bootcamp.Persistence.DatabaseOutage>.Instance), NullLogger<DispatchDueLessonsJob>.Instance);
        return await dispatcher.DispatchAsync(CancellationToken.None);
    }

    /// <summary>The reader presses "unsubscribe", through the real service.</summary>
    public async Task UnsubscribeAsync(long enrollmentId)
    {
        await using var db = Db();
        var service = new Bootcamp.Enrollment.EnrollmentService(db, Record(db), Hasher(), new Bootcamp.Enrollment.SignupBudget(db, Hasher(), Options.Create(new Bootcamp.Security.RateLimitOptions())), Substitute.For<Hangfire.IBackgroundJobClient>(), new Bootcamp.Enrollment.ConfirmationQueue(),
            Options.Create(Campaign), Time, Metrics(), NullLogger<Bootcamp.Enrollment.EnrollmentService>.Instance);
        Assert.True(await service.UnsubscribeAsync(enrollmentId, CancellationToken.None));
    }

    /// <summary>The course's record over <paramref name="db"/>, on the rig's clock and settings.</summary>
    public CourseRecord Record(BootcampDb db) => new(db, new SuppressionList(db, Hasher(), Time), TestOwner.Instance, Options.Create(Campaign), Time);

    /// <summary>Runs the dispatcher's claim as it would at the current time; returns what it claimed.</summary>
    public async Task<long[]> ClaimDueAsync()
    {
        await using var db = Db();
        return await new LessonStore(db, TestOwner.Instance).ClaimDueAsync(Now, Now - Delivery.ClaimLease, Delivery.BatchSize, CancellationToken.None);
    }

    public async Task<EnrollmentRecord> SeedAsync(EnrollmentBuilder builder)
    {
        await using var db = Db();
        return await builder.SaveAsync(db, Now);
    }

    /// <summary>A sign-up waiting for its confirmation email (requested a minute ago), or one never requested.</summary>
    public async Task<long> SeedPendingAsync(string email, bool requested = true)
    {
        var enrollment = await SeedAsync(new EnrollmentBuilder().For(email).WithStatus(EnrollmentStatus.Pending));
        await using var db = Db();
        await db.Enrollments.Where(e => e.Id == enrollment.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConfirmationRequestedAt, requested ? Now.AddMinutes(-1) : null));
        return enrollment.Id;
    }

    /// <summary>The record as it is now, read afresh.</summary>
    public async Task<EnrollmentRecord> EnrollmentAsync(long id)
    {
        await using var db = Db();
        return await db.Enrollments.AsNoTracking().Include(e => e.Lessons.OrderBy(l => l.Day)).SingleAsync(e => e.Id == id);
    }

    public async Task<List<SuppressionRecord>> SuppressionsAsync()
    {
        await using var db = Db();
        return await db.Suppressions.AsNoTracking().ToListAsync();
    }

    public async Task SetStatusAsync(long enrollmentId, EnrollmentStatus status)
    {
        await using var db = Db();
        await db.Enrollments.Where(e => e.Id == enrollmentId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, status));
    }

    internal BootcampMetrics Metrics() => new(_meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _meters.DisposeAsync();
    }

    private Task<string> Deliver(MimeMessage message)
    {
        Attempted.Add(message);
        var to = message.To.Mailboxes.Single().Address;
        var rejection = _rejections.LastOrDefault(r => r.To == to);
        if (rejection.Failure is not null)
        {
            return Task.FromException<string>(new DeliveryException(rejection.Failure(), connectionBroken: false));
        }
        Accepted.Add(message);
        return Task.FromResult($"250 2.0.0 Ok: queued as Q{Accepted.Count}");
    }
}
