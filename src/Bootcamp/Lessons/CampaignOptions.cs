using System.ComponentModel.DataAnnotations;
using MimeKit;
using NodaTime;
using NodaTime.Text;

namespace Bootcamp.Lessons;

public sealed class CampaignOptions
{
    public const string Section = "Campaign";

    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>
    /// Base of every link in discreet readers' emails, and in the confirmation (neutral for everyone): a host
    /// whose home page names no topic. Empty: <see cref="PublicBaseUrl"/>.
    /// </summary>
    public string DiscreetBaseUrl { get; set; } = "";

    [Required]
    public string From { get; set; } = "Surviving Infidelity Bootcamp <bootcamp@localhost>";

    [Required]
    public string DiscreetFrom { get; set; } = "Daily Notes <notes@localhost>";

    /// <summary>Printed in every footer (CAN-SPAM).</summary>
    public string? PostalAddress { get; set; }

    public string SendAt { get; set; } = "08:00";

    public TimeSpan DayLength { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan ConfirmationExpiry { get; set; } = TimeSpan.FromDays(2);

    /// <summary>The crisis line named in every lesson's safety box.</summary>
    public string CrisisLine { get; set; } = "988 (call or text, in the US)";

    /// <summary>Send the short "you finished" note the day after the seventh lesson went out.</summary>
    public bool FinishedNote { get; set; } = true;

    /// <summary>Version of the consent text shown on the sign-up form; stored with every consent.</summary>
    public string ConsentVersion { get; set; } = "2026-11-1";

    /// <summary>When the "you finished" note follows a seventh lesson sent at <paramref name="lastLessonSentAt"/> to a reader in <paramref name="timeZone"/>; null when turned off.</summary>
    public DateTime? FinishedNoteDue(string timeZone, DateTime lastLessonSentAt, string? readerSendAt = null)
    {
        if (!FinishedNote)
        {
            return null;
        }
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? DateTimeZone.Utc;
        // Every time in the record is UTC; SQLite hands it back without saying so.
        return Domain.LessonSchedule.FinishedNoteDue(Instant.FromDateTimeUtc(DateTime.SpecifyKind(lastLessonSentAt, DateTimeKind.Utc)), zone, SendAtFor(readerSendAt), Duration.FromTimeSpan(DayLength))
            .ToDateTimeUtc();
    }

    public LocalTime SendAtTime => LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(SendAt).GetValueOrThrow();

    /// <summary>When a pause of <paramref name="days"/> course days begun at <paramref name="from"/> ends by itself: one rule for the record and the admin's page.</summary>
    public DateTime PauseEnd(DateTime from, int days) => from + DayLength * days;

    /// <summary>A reader's own send time ("HH:mm") when they chose one, else <see cref="SendAt"/>.</summary>
    public LocalTime SendAtFor(string? readerSendAt) =>
        readerSendAt is not null && LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(readerSendAt) is { Success: true } own ? own.Value : SendAtTime;
    public MailboxAddress FromAddress => MailboxAddress.Parse(From);
    public MailboxAddress DiscreetFromAddress => MailboxAddress.Parse(DiscreetFrom);
    public Delivery.Senders Senders => new(FromAddress, DiscreetFromAddress);
    /// <summary><see cref="PublicBaseUrl"/> without a trailing slash: every link is this plus its path.</summary>
    public string BaseUrl => PublicBaseUrl.TrimEnd('/');

    public Uri BaseUri => new(BaseUrl + "/");

    /// <summary>The base of a reader's links: the discreet one for discreet readers, when it is set.</summary>
    public string BaseUrlFor(bool discreet) => discreet && !string.IsNullOrWhiteSpace(DiscreetBaseUrl) ? DiscreetBaseUrl.TrimEnd('/') : BaseUrl;

    /// <summary>Whether a request came in on the discreet host (a separate one from the public base).</summary>
    public bool IsDiscreetHost(HostString host) =>
        !string.IsNullOrWhiteSpace(DiscreetBaseUrl) && host.HasValue
        && Uri.TryCreate(DiscreetBaseUrl, UriKind.Absolute, out var discreet)
        && string.Equals(discreet.Host, host.Host, StringComparison.OrdinalIgnoreCase)
        && !string.Equals(discreet.Host, BaseUri.Host, StringComparison.OrdinalIgnoreCase);
}
