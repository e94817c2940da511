using System.Globalization;
using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Pages;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace Bootcamp.Manage;

/// <summary>
/// GET and POST /m/{token}: the reader steers their own course. Every page here is neutral (title, words,
/// path), since some readers share a device with the partner. The GET changes nothing, so a mail scanner's
/// visit is harmless; each action is one POST, and its answer says what was done.
/// </summary>
public static class ManageModule
{
    private const string Title = "Your emails";
    private static readonly LocalTimePattern TimeOfDay = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static IEndpointRouteBuilder MapManage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/m/{token}", ShowAsync).RequireRateLimiting(ClientRateLimits.Token).ProducesTokenPage();
        // The token in the path is the reader's credential, as for /u/ and /confirm/: a site that could forge
        // this POST would need the token, and with it could do the same directly. No form cookie to check.
        app.MapPost("/m/{token}", ActAsync).DisableAntiforgery().RequireRateLimiting(ClientRateLimits.Token)
            .DescribesBody<ManageForm>("application/x-www-form-urlencoded")
            .ProducesTokenPage(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<RazorComponentResult> ShowAsync(string token, string? ask, HttpContext context, LinkTokens tokens, BootcampDb db,
        IOptions<CampaignOptions> campaign, CancellationToken cancellationToken)
    {
        Page.ProtectToken(context);
        if (!tokens.TryRead(TokenPurpose.Manage, token, out var enrollmentId, out _)
            || await CourseView.ReadAsync(db, campaign.Value, enrollmentId, cancellationToken) is not { } course)
        {
            return Page.NotFound();
        }
        if (ask == "erase")
        {
            return new RazorComponentResult<ManageErasePage>(new Dictionary<string, object?> { [nameof(ManageErasePage.Back)] = $"/m/{token}" });
        }
        return new RazorComponentResult<ManagePage>(new Dictionary<string, object?> { [nameof(ManagePage.Course)] = course });
    }

    private static async Task<RazorComponentResult> ActAsync(string token, HttpContext context, LinkTokens tokens, CourseRecord record,
        IDateTimeZoneProvider zones, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        Page.ProtectToken(context);
        if (!tokens.TryRead(TokenPurpose.Manage, token, out var enrollmentId, out _))
        {
            return Page.NotFound();
        }
        // Read by hand rather than bound: an empty or odd body is a page naming the field, not a bare 400.
        var form = await ManageForm.ReadAsync(context.Request, cancellationToken);
        var logger = loggers.CreateLogger(typeof(ManageModule));
        switch (form.Action)
        {
            case "pause":
                if (!int.TryParse(form.Days, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < PauseDays.Min or > PauseDays.Max)
                {
                    return Invalid("days", $"Choose a break of {PauseDays.Min} to {PauseDays.Max} days.");
                }
                return Answer(await record.PauseAsync(enrollmentId, days, cancellationToken), logger, "paused", enrollmentId,
                    done: ["Your emails are paused.", $"They start again by themselves after {days} day{(days == 1 ? "" : "s")}, at your usual time, where you left off. You can resume sooner from the same link."],
                    already: ["Your emails were already paused; the break now lasts " + days + " day" + (days == 1 ? "" : "s") + " from today."]);
            case "resume":
                return Answer(await record.ResumeAsync(enrollmentId, cancellationToken), logger, "resumed", enrollmentId,
                    done: ["Your emails are running again. The next one arrives at your usual time."],
                    already: ["Nothing was paused: your emails are running."]);
            case "skip":
                return Answer(await record.SkipNextDayAsync(enrollmentId, cancellationToken), logger, "skipped a day", enrollmentId,
                    done: ["Tomorrow is free: the next email and the ones after it each move by one day."],
                    already: []);
            case "time":
                LocalTime? sendAt = null;
                DateTimeZone? zone = null;
                if (!string.IsNullOrWhiteSpace(form.SendAt))
                {
                    if (TimeOfDay.Parse(form.SendAt.Trim()) is not { Success: true } parsed)
                    {
                        return Invalid("sendAt", "Write the time as HH:mm, for example 06:00 or 21:30.");
                    }
                    sendAt = parsed.Value;
                }
                if (!string.IsNullOrWhiteSpace(form.TimeZone))
                {
                    zone = zones.GetZoneOrNull(form.TimeZone.Trim());
                    if (zone is null)
                    {
                        return Invalid("timeZone", "Choose a time zone by its name, for example Europe/Berlin or America/Chicago.");
                    }
                }
                if (sendAt is null && zone is null)
                {
                    return Invalid("sendAt", "Choose a new time, a new time zone, or both.");
                }
                return Answer(await record.ChangeSendTimeAsync(enrollmentId, sendAt, zone, cancellationToken), logger, "moved", enrollmentId,
                    done: [$"Done. Your emails now arrive{(sendAt is { } at ? " at " + TimeOfDay.Format(at) : "")}{(zone is null ? "" : " in the " + zone.Id + " time zone")}. The next one has moved already."],
                    already: []);
            case "discreet" or "tracking":
                if (form.Value is not ("on" or "off"))
                {
                    return Invalid("value", "Choose on or off.");
                }
                var on = form.Value == "on";
                if (form.Action == "discreet")
                {
                    return Answer(await record.SetDiscreetAsync(enrollmentId, on, cancellationToken), logger, "changed discretion", enrollmentId,
                        done: [on ? "Discreet emails are on: a neutral sender and neutral subject lines from the next email." : "Discreet emails are off from the next email."],
                        already: [on ? "Discreet emails were already on." : "Discreet emails were already off."]);
                }
                return Answer(await record.SetTrackingAsync(enrollmentId, on, cancellationToken), logger, "changed tracking", enrollmentId,
                    done: [on ? "Opens and clicks will be counted from the next email." : "Opens and clicks are no longer counted, and the ones counted so far are deleted."],
                    already: [on ? "Opens and clicks were already counted." : "Opens and clicks were already not counted; none are kept."]);
            case "stage":
                // "none" takes the answer back; the lessons then use their general paragraph.
                var stage = Stages.Parse(form.Value);
                if (stage is null && form.Value != "none")
                {
                    return Invalid("value", $"Choose one of: {Stages.Expected}, or none.");
                }
                return Answer(await record.SetStageAsync(enrollmentId, stage, cancellationToken), logger, "changed where they are", enrollmentId,
                    done: [stage is null ? "Done. The next emails won't assume where you are." : "Done. The next emails take that into account."],
                    already: ["That was already your answer."]);
            case "leave":
                return Answer(await record.UnsubscribeAsync(enrollmentId, cancellationToken), logger, "left", enrollmentId,
                    done: ["You've left. Nothing more will be sent to you."],
                    already: ["You had already left. Nothing more will be sent to you."]);
            case "erase":
                if (await record.EraseEnrollmentAsync(enrollmentId, cancellationToken) == 0)
                {
                    return Page.NotFound();
                }
                logger.LogInformation("Enrollment {EnrollmentId} left and erased by its reader", enrollmentId);
                // Says nothing about what the emails were: someone else may read this screen.
                return Page.Message("Done", "Done", ["Your address and everything linked to it have been deleted. Nothing more will be sent.", "You can close this page."]);
            default:
                return Invalid("action", "Choose one of: pause, resume, skip, time, discreet, tracking, stage, leave, erase.");
        }
    }

    private static RazorComponentResult Answer(Change change, ILogger logger, string what, long enrollmentId, string[] done, string[] already)
    {
        switch (change)
        {
            case Change.Done:
                logger.LogInformation("Enrollment {EnrollmentId} {What} by its reader", enrollmentId, what);
                return Page.Message(Title, "Done", [.. done, "You can change this again from the link at the bottom of any email."]);
            case Change.Already:
                return Page.Message(Title, "Nothing to change", already);
            case Change.NotAllowed:
                return Page.Message(Title, "That can't be changed now",
                    ["These emails have ended or haven't started yet, so there is nothing to change. You can still delete your address from the same page."],
                    status: StatusCodes.Status409Conflict);
            default:
                return Page.NotFound();
        }
    }

    private static RazorComponentResult Invalid(string field, string message) =>
        Page.Message(Title, "Please check your choice", [$"{field}: {message}"], status: StatusCodes.Status400BadRequest);
}
