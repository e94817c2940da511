using System.Text.RegularExpressions;
using Bootcamp.IntegrationTests.Infrastructure;
using MimeKit;

namespace Bootcamp.IntegrationTests.Hosting;

/// <summary>Reading what arrived at the SMTP server the way a subscriber would.</summary>
public static partial class Mailbox
{
    public static IReadOnlyList<ReceivedMail> To(this IReadOnlyList<ReceivedMail> mails, string address) =>
        [.. mails.Where(m => m.Recipients.Any(r => string.Equals(r, address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Lessons carry List-Unsubscribe; the confirmation and the finished note do not.</summary>
    public static bool IsLesson(this ReceivedMail mail) => mail.Message.Headers.Contains("List-Unsubscribe");

    /// <summary>The confirmation is the email with the /confirm/ link.</summary>
    public static bool IsConfirmation(this ReceivedMail mail) => mail.Message.TextBody?.Contains("/confirm/", StringComparison.Ordinal) == true;

    /// <summary>The "you finished" note says, in its footer, that it is the last email; told apart by its words, not its headers.</summary>
    public static bool IsFinishedNote(this ReceivedMail mail) =>
        mail.Message.TextBody?.Contains("This is the last email of the course; nothing more will arrive.", StringComparison.Ordinal) == true;

    public static IReadOnlyList<ReceivedMail> Lessons(this IReadOnlyList<ReceivedMail> mails) => [.. mails.Where(IsLesson)];

    public static IReadOnlyList<ReceivedMail> Confirmations(this IReadOnlyList<ReceivedMail> mails) => [.. mails.Where(IsConfirmation)];

    public static IReadOnlyList<ReceivedMail> FinishedNotes(this IReadOnlyList<ReceivedMail> mails) => [.. mails.Where(IsFinishedNote)];

    /// <summary>The day a lesson says it is ("Day 3 of 7" in its text part).</summary>
    public static int Day(this ReceivedMail mail)
    {
        var match = DayPattern().Match(mail.Message.TextBody ?? string.Empty);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    public static string Link(this MimeMessage message, string pathPrefix)
    {
        var pattern = LinkPattern(pathPrefix);
        var match = pattern.Match(message.TextBody ?? string.Empty);
        if (!match.Success)
        {
            match = pattern.Match(message.HtmlBody ?? string.Empty);
        }
        return match.Success ? match.Value : throw new InvalidOperationException($"No {pathPrefix} link in \"{message.Subject}\"");
    }

    public static IReadOnlyList<string> Links(this MimeMessage message, string pathPrefix) =>
        [.. LinkPattern(pathPrefix).Matches(message.HtmlBody ?? string.Empty).Select(m => m.Value).Distinct()];

    /// <summary>Every such link in the HTML and the text part: what a scanner that follows everything fetches.</summary>
    public static IReadOnlyList<string> LinksInEveryPart(this MimeMessage message, string pathPrefix) =>
        [.. LinkPattern(pathPrefix).Matches((message.HtmlBody ?? string.Empty) + "\n" + message.TextBody).Select(m => m.Value).Distinct()];

    private static Regex LinkPattern(string pathPrefix) => new(@"https?://[^\s""'<>]+" + Regex.Escape(pathPrefix) + @"[A-Za-z0-9_\-]+");

    [GeneratedRegex(@"Day (\d) of 7")]
    private static partial Regex DayPattern();
}
