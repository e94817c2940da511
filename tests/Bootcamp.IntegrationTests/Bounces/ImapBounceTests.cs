using System.Text;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using MailKit;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Bootcamp.IntegrationTests.Bounces;

/// <summary>
/// Asynchronous bounces end to end: the real host sends lesson 1 to the SMTP sink with a VERP
/// return path, a DSN for it lands in a real Dovecot mailbox, and the poll job applies and removes it.
/// </summary>
public sealed class ImapBounceTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private SmtpSink _sink = null!;
    private DovecotServer _imap = null!;
    private TestHost? _host;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _imap = await DovecotServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        await _imap.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task<TestHost> StartHostAsync(string provider = "Postgres") =>
        _host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), _sink.Port,
            // A long day: lesson 1 goes out and the rest wait, so nothing else happens meanwhile.
            "--Campaign:DayLength=1.00:00:00",
            "--Bounces:Imap:Host=127.0.0.1",
            $"--Bounces:Imap:Port={_imap.Port}",
            "--Bounces:Imap:Security=None",
            $"--Bounces:Imap:UserName={DovecotServer.UserName}",
            $"--Bounces:Imap:Password={DovecotServer.Password}",
            "--Bounces:PollInterval=00:00:00.5",
            "--Bounces:ReturnPathTemplate=bounces+{id}@example.org");

    private async Task<ReceivedMail> FirstLessonAsync(TestHost host, string email)
    {
        var reader = new Subscriber(host, _sink, email);
        await reader.JoinAsync();
        return (await reader.WaitForLessonsAsync(1))[0];
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_hard_bounce_in_the_mailbox_bounces_the_enrollment_and_is_deleted(string provider)
    {
        var host = await StartHostAsync(provider);
        var lesson = await FirstLessonAsync(host, "gone@example.net");
        Assert.Matches("^bounces\\+[0-9]+-[0-9a-f]{10}@example\\.org$", lesson.Sender);

        await _imap.AppendAsync(BounceReports.Dsn(lesson, to: lesson.Sender!, action: "failed", status: "5.1.1", "550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown"));

        // The job applies a report before it deletes it: once it is gone, the record says everything.
        await Eventually.ReturnsAsync(_imap.InboxAsync, inbox => inbox.Count == 0, Deadline, "the DSN to be applied and expunged");
        var enrollment = await EnrollmentAsync(host, "gone@example.net");
        Assert.Equal(EnrollmentStatus.Bounced, enrollment.Status);
        Assert.Equal(LessonState.Failed, enrollment.Lessons.Single(l => l.Day == 1).State);
        Assert.StartsWith("DSN 5.1.1", enrollment.Lessons.Single(l => l.Day == 1).LastError);
        Assert.All(enrollment.Lessons.Where(l => l.Day > 1), l => Assert.Equal(LessonState.Skipped, l.State));
        Assert.Equal("hard-bounce", Assert.Single(await host.QueryAsync(db => db.Suppressions.ToListAsync())).Reason);
    }

    [Fact]
    public async Task A_dsn_naming_only_the_original_message_id_finds_its_lesson()
    {
        var host = await StartHostAsync();
        var lesson = await FirstLessonAsync(host, "left-the-company@example.net");

        // Sent back to the From address by an MTA that ignored the envelope: only the quoted headers name the lesson.
        await _imap.AppendAsync(BounceReports.Dsn(lesson, to: "bootcamp@example.org", action: "failed", status: "5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound"));

        await Eventually.ReturnsAsync(_imap.InboxAsync, inbox => inbox.Count == 0, Deadline, "the DSN to be applied and expunged");
        Assert.Equal(EnrollmentStatus.Bounced, (await EnrollmentAsync(host, "left-the-company@example.net")).Status);
        Assert.Single(await host.QueryAsync(db => db.Suppressions.ToListAsync()));
    }

    [Fact]
    public async Task A_delayed_dsn_changes_nothing_and_is_removed_once_read()
    {
        var host = await StartHostAsync();
        var lesson = await FirstLessonAsync(host, "slow@example.net");

        await _imap.AppendAsync(BounceReports.Dsn(lesson, to: lesson.Sender!, action: "delayed", status: "4.4.1", "connect to mx.example.net[203.0.113.25]:25: Connection timed out"));

        await Eventually.ReturnsAsync(_imap.InboxAsync, inbox => inbox.Count == 0, Deadline, "the DSN to be read and removed");
        var enrollment = await EnrollmentAsync(host, "slow@example.net");
        Assert.Equal((EnrollmentStatus.Active, 0), (enrollment.Status, enrollment.SoftBounces));
        Assert.Equal(LessonState.Sent, enrollment.Lessons.Single(l => l.Day == 1).State);
        Assert.Empty(await host.QueryAsync(db => db.Suppressions.ToListAsync()));
    }

    [Fact]
    public async Task A_complaint_suppresses_the_address_and_a_plain_reply_is_only_marked_seen()
    {
        var host = await StartHostAsync();
        var lesson = await FirstLessonAsync(host, "annoyed@example.net");
        var reply = new MimeMessage { Subject = "Automatic reply: " + lesson.Message.Subject, MessageId = "reply-1@example.net", InReplyTo = lesson.Message.MessageId };
        reply.From.Add(MailboxAddress.Parse("annoyed@example.net"));
        reply.To.Add(MailboxAddress.Parse(lesson.Sender!));
        reply.Body = new TextPart("plain") { Text = "I am away until Monday." };

        await _imap.AppendAsync(reply);
        await _imap.AppendAsync(BounceReports.Complaint(lesson));

        var inbox = await Eventually.ReturnsAsync(_imap.InboxAsync, i => i.Count == 1 && i[0].Flags.HasFlag(MessageFlags.Seen), Deadline, "only the reply to stay, seen");
        Assert.Equal(EnrollmentStatus.Bounced, (await EnrollmentAsync(host, "annoyed@example.net")).Status);
        Assert.Equal("complaint", Assert.Single(await host.QueryAsync(db => db.Suppressions.ToListAsync())).Reason);
        Assert.Equal("reply-1@example.net", inbox[0].MessageId);
        Assert.False(inbox[0].Flags.HasFlag(MessageFlags.Deleted));
    }

    private static Task<Persistence.EnrollmentRecord> EnrollmentAsync(TestHost host, string email) =>
        host.QueryAsync(db => db.Enrollments.AsNoTracking().Include(e => e.Lessons).SingleAsync(e => e.EmailKey == email));
}
