using System.Net;
using System.Net.Http.Json;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.IntegrationTests.Hosting;

/// <summary>One person going through the course: signs up, confirms from the email, reads.</summary>
public sealed class Subscriber(TestHost host, SmtpSink sink, string email)
{
    public static readonly TimeSpan MailDeadline = TimeSpan.FromSeconds(60);

    public string Email { get; } = email;

    public async Task SignUpAsync(string timeZone = "Europe/Paris", bool discreet = false, bool noTracking = false, string? firstName = "Sam")
    {
        using var response = await host.Http.PostAsJsonAsync("/api/enrollments", new { email = Email, firstName, timeZone, discreet, tracking = !noTracking });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public async Task<ReceivedMail> WaitForConfirmationAsync(int count = 1)
    {
        var mails = await sink.WaitForAsync(all => all.To(Email).Confirmations().Count >= count, MailDeadline);
        return mails.To(Email).Confirmations()[count - 1];
    }

    /// <summary>Signs up, opens the confirmation email and presses its button.</summary>
    public async Task JoinAsync(string timeZone = "Europe/Paris", bool discreet = false, bool noTracking = false)
    {
        await SignUpAsync(timeZone, discreet, noTracking);
        var confirmation = await WaitForConfirmationAsync();
        var url = confirmation.Message.Link("/confirm/");
        using var response = await host.Http.PostAsync(url, content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<IReadOnlyList<ReceivedMail>> WaitForLessonsAsync(int count, TimeSpan? deadline = null)
    {
        var mails = await sink.WaitForAsync(all => all.To(Email).Lessons().Count >= count, deadline ?? MailDeadline);
        return mails.To(Email).Lessons();
    }

    public async Task<ReceivedMail> WaitForFinishedNoteAsync(TimeSpan? deadline = null)
    {
        var mails = await sink.WaitForAsync(all => all.To(Email).FinishedNotes().Count >= 1, deadline ?? MailDeadline);
        return mails.To(Email).FinishedNotes()[0];
    }

    public IReadOnlyList<ReceivedMail> Lessons => sink.Messages.To(Email).Lessons();

    public IReadOnlyList<ReceivedMail> FinishedNotes => sink.Messages.To(Email).FinishedNotes();

    public IReadOnlyList<ReceivedMail> AllMail => sink.Messages.To(Email);
}
