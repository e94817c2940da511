using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Enrollment;
using Bootcamp.Lessons;
using Microsoft.Extensions.Options;

namespace Bootcamp.Admin;

/// <summary>One email as the preview shows it: the sender and inbox line, and both parts.</summary>
public sealed record EmailSample(string Name, string Label, bool Discreet, string From, string Subject, string Preheader, string Html, string Text);

/// <summary>
/// Every email the course sends (the confirmation, Days 1–7, the closing note), made by the senders' own composers
/// and templates for a sample reader with no course behind it: what /admin/lessons shows and sends as a test.
/// Untracked (no pixel, plain links), and the reader's own links carry a placeholder that opens nothing.
/// Nothing here reads or writes the record.
/// </summary>
public sealed class EmailSamples(IEmailRenderer renderer, LessonComposer lessons, FinishedNoteComposer notes, MessageFactory messages, IOptions<CampaignOptions> campaign)
{
    public const string Confirmation = "confirmation";
    public const string Finished = "finished";
    private const string DayPrefix = "day";

    /// <summary>The form values that name an email, in the order readers get them.</summary>
    public static readonly IReadOnlyList<string> Names = [Confirmation, .. Enumerable.Range(1, Campaign.LessonCount).Select(d => DayPrefix + d), Finished];

    /// <summary>In place of a token in the sample's links: such a link opens the "doesn't work" page.</summary>
    public const string Placeholder = "sample";

    private const string SampleFirstName = "Sam";
    private const string SampleZone = "Europe/Paris";

    public static bool IsName(string? name) => name is not null && Names.Contains(name);

    public static string Label(string name) => name switch
    {
        Confirmation => "Confirmation",
        Finished => "Closing note",
        _ => $"Day {name[DayPrefix.Length..]}",
    };

    /// <summary>The confirmation is neutral for everyone (the contract): discreet or not, it is the same email.</summary>
    public static bool SentDiscreetly(string name, bool discreet) => discreet || name == Confirmation;

    public async ValueTask<EmailSample> RenderAsync(string name, bool discreet)
    {
        var email = await RenderedAsync(name, discreet);
        return new EmailSample(name, Label(name), discreet, messages.Sender(SentDiscreetly(name, discreet)).ToString(), email.Subject, email.Preheader, email.Html, email.Text);
    }

    /// <summary>
    /// The email as a test to an admin: "[Test]" before the subject, an <c>X-Bootcamp-Test: 1</c> header, a Message-ID
    /// of its own each time, and no List-Unsubscribe (there is no course to leave).
    /// </summary>
    public async ValueTask<OutgoingMessage> TestMessageAsync(string name, bool discreet, string to)
    {
        var email = await RenderedAsync(name, discreet);
        var sender = SentDiscreetly(name, discreet);
        var marked = new RenderedEmail("[Test] " + email.Subject, email.Preheader, email.HtmlUtf8, email.TextUtf8);
        return messages.Build(to, sender, marked, messages.TestMessageId(sender), unsubscribeUrl: null, MessageFactory.TestHeaders());
    }

    private ValueTask<RenderedEmail> RenderedAsync(string name, bool discreet) => name switch
    {
        Confirmation => renderer.RenderConfirmAsync(ConfirmationJob.NeutralModel(campaign.Value, messages, Placeholder)),
        Finished => notes.RenderAsync(SampleFirstName, discreet),
        _ => lessons.RenderSampleAsync(SampleReader(int.Parse(name[DayPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture), discreet), Placeholder),
    };

    private static LessonToSend SampleReader(int day, bool discreet) =>
        new(LessonId: 0, day, Attempts: 0, EnrollmentId: 0, Email: "sample@example.invalid", SampleFirstName, SampleZone, discreet, NoTracking: true);
}
