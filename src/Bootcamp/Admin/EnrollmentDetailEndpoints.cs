using System.Globalization;
using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Admin;

/// <summary>
/// GET /admin/enrollments/{id} (the person, the timeline, "why not?") and POST /admin/enrollments/{id}: one
/// action per POST (pause with days, resume, resend with day, unsubscribe, erase), through the course's record,
/// antiforgery checked, each put on record with the admin who did it (<see cref="AuditAction"/>).
/// GET /admin/enrollments/{id}.json: everything stored about the person, as a download (<see cref="PersonExport"/>).
/// </summary>
public static class EnrollmentDetailEndpoints
{
    public static RouteGroupBuilder MapEnrollmentDetail(this RouteGroupBuilder admin)
    {
        admin.MapGet("/enrollments/{id:long}", ShowAsync);
        admin.MapPost("/enrollments/{id:long}", ActAsync);
        admin.MapGet("/enrollments/{id:long}.json", ExportAsync);
        return admin;
    }

    private static async Task<IResult> ShowAsync(long id, string? ask, HttpContext context, IAntiforgery antiforgery, EnrollmentViewQuery detail, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await detail.ReadAsync(id, cancellationToken) is not { } view)
        {
            return Page.NotFound();
        }
        // Looking at a person is on record too.
        loggers.CreateLogger(typeof(EnrollmentDetailEndpoints)).LogInformation("Admin {Admin} viewed enrollment {EnrollmentId}", context.User.Identity?.Name, id);
        var tokens = antiforgery.GetAndStoreTokens(context);
        if (ask == "erase")
        {
            return new RazorComponentResult<AdminErasePage>(new Dictionary<string, object?>
            {
                [nameof(AdminErasePage.Id)] = id,
                [nameof(AdminErasePage.Email)] = view.Email,
                [nameof(AdminErasePage.AntiforgeryField)] = tokens.FormFieldName,
                [nameof(AdminErasePage.AntiforgeryToken)] = tokens.RequestToken,
            });
        }
        return new RazorComponentResult<AdminEnrollmentPage>(new Dictionary<string, object?>
        {
            [nameof(AdminEnrollmentPage.View)] = view,
            [nameof(AdminEnrollmentPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(AdminEnrollmentPage.AntiforgeryToken)] = tokens.RequestToken,
        });
    }

    private static async Task<IResult> ActAsync(long id, HttpContext context, IAntiforgery antiforgery, CourseRecord record, LessonResender resender, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await AdminForm.ReadAsync(context, antiforgery, cancellationToken) is not { } form)
        {
            return AdminForm.StaleToken();
        }
        var action = form["action"].ToString();
        var logger = loggers.CreateLogger(typeof(EnrollmentDetailEndpoints));
        var back = action == "erase" ? "/admin/enrollments" : $"/admin/enrollments/{id}";
        Change change;
        string done;
        switch (action)
        {
            case "pause":
                if (!int.TryParse(form["days"], NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > 30)
                {
                    return AdminForm.Invalid("days", "a whole number of days from 1 to 30");
                }
                change = await record.PauseAsync(id, days, cancellationToken);
                done = $"Paused for {days} day{(days == 1 ? "" : "s")}.";
                break;
            case "resume":
                change = await record.ResumeAsync(id, cancellationToken);
                done = "Resumed: the lessons left continue one a day at the reader's send time.";
                break;
            case "resend":
                if (!int.TryParse(form["day"], NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > Campaign.LessonCount)
                {
                    return AdminForm.Invalid("day", $"a lesson's day, a whole number from 1 to {Campaign.LessonCount}");
                }
                var resent = await resender.ResendAsync(id, day, cancellationToken);
                AuditAction(logger, context, $"resend day {day}", id, resent.Outcome.ToString());
                return resent.Outcome switch
                {
                    ResendOutcome.Sent => Page.Message("Done", "Sent again", [resent.Detail, $"Back: {back}"]),
                    ResendOutcome.NotAllowed => Page.Message("Not possible", "Not possible now", [$"Not sent again: {resent.Detail}.", $"Back: {back}"], status: StatusCodes.Status409Conflict),
                    ResendOutcome.Refused => Page.Message("Not sent", "Not sent again", [$"Not sent: {resent.Detail}.", $"Back: {back}"], status: StatusCodes.Status502BadGateway),
                    _ => Page.NotFound(),
                };
            case "unsubscribe":
                change = await record.UnsubscribeAsync(id, cancellationToken);
                done = "Unsubscribed: nothing more will be sent.";
                break;
            case "erase":
                change = await record.EraseEnrollmentAsync(id, cancellationToken) > 0 ? Change.Done : Change.NotFound;
                done = "Erased: only the suppression hash remains.";
                break;
            default:
                return AdminForm.Invalid("action", "one of pause, resume, resend, unsubscribe, erase");
        }
        AuditAction(logger, context, action, id, change.ToString());
        return change switch
        {
            Change.Done => Page.Message("Done", "Done", [done, $"Back: {back}"]),
            Change.Already => Page.Message("Nothing to change", "Nothing to change", ["It was so already.", $"Back: {back}"]),
            Change.NotAllowed => Page.Message("Not possible", "Not possible now", ["The course is not in a state that allows it (not confirmed yet, or over).", $"Back: {back}"],
                status: StatusCodes.Status409Conflict),
            _ => Page.NotFound(),
        };
    }

    /// <summary>
    /// The person's data as a JSON download. A GET, since it changes nothing: behind the admin policy, never cached,
    /// and an attachment, so the browser saves it rather than shows it. An erased or forgotten person is a 404.
    /// </summary>
    private static async Task<IResult> ExportAsync(long id, HttpContext context, PersonExport export, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await export.ReadAsync(id, cancellationToken) is not { } person)
        {
            return TypedResults.NotFound();
        }
        AuditAction(loggers.CreateLogger(typeof(EnrollmentDetailEndpoints)), context, "export", id, $"{person.Enrollments.Count} enrollment(s)");
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"enrollment-{id}.json\"";
        return TypedResults.Json(person, PersonExport.Json, "application/json; charset=utf-8");
    }

    /// <summary>The one place an admin's act on an enrollment (every POST action, and the export) is put on record; the admin audit log writes its entry here.</summary>
    private static void AuditAction(ILogger logger, HttpContext context, string action, long enrollmentId, string outcome) =>
        logger.LogInformation("Admin {Admin} did {Action} on enrollment {EnrollmentId}: {Outcome}", context.User.Identity?.Name, action, enrollmentId, outcome);
}
