using System.Globalization;
using Bootcamp.Admin.Accounts;
using Bootcamp.Admin.Audit;
using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Admin;

/// <summary>
/// GET /admin/enrollments/{id} (the person, the timeline, "why not?", and each action behind its "are you sure?"
/// disclosure) and POST /admin/enrollments/{id}: one action per POST (pause with days, resume, resend with day,
/// unsubscribe, erase), through the course's record, antiforgery checked, each written to the audit log (in the same
/// transaction as its change where it is one); its answer says what was done and what happens next, and links back.
/// POST /admin/enrollments/{id}.json: everything stored about the person, as a download (<see cref="PersonExport"/>),
/// a form with antiforgery like every action and on record in the audit log; a GET there answers 405 naming the button.
/// Viewers see the page with the address masked and no actions, and are refused every POST and the export.
/// </summary>
public static class EnrollmentDetailEndpoints
{
    public static RouteGroupBuilder MapEnrollmentDetail(this RouteGroupBuilder admin)
    {
        admin.MapGet("/enrollments/{id:long}", ShowAsync);
        admin.MapPost("/enrollments/{id:long}", ActAsync).RequireAuthorization(AdminPolicies.Operator);
        admin.MapPost("/enrollments/{id:long}.json", ExportAsync).RequireAuthorization(AdminPolicies.Operator);
        admin.MapGet("/enrollments/{id:long}.json", ExportMovedToAForm);
        return admin;
    }

    private static async Task<IResult> ShowAsync(long id, string? ask, HttpContext context, IAntiforgery antiforgery, EnrollmentViewQuery detail, AdminAudit audit, CancellationToken cancellationToken)
    {
        if (await detail.ReadAsync(id, cancellationToken) is not { } view)
        {
            return NotFound();
        }
        // Looking at a person is on record too.
        await audit.RecordAsync(context, AuditActions.ViewEnrollment, id, AuditOutcomes.Done, null, cancellationToken);
        var mayAct = context.User.IsOperator();
        if (!mayAct)
        {
            view = view with { Email = EnrollmentList.Mask(view.Email) };
        }
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new RazorComponentResult<AdminEnrollmentPage>(new Dictionary<string, object?>
        {
            [nameof(AdminEnrollmentPage.View)] = view,
            [nameof(AdminEnrollmentPage.MayAct)] = mayAct,
            // ?ask=erase (the old erase page's address) and the like: that action's "are you sure?" shown open.
            [nameof(AdminEnrollmentPage.Open)] = ask,
            [nameof(AdminEnrollmentPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(AdminEnrollmentPage.AntiforgeryToken)] = tokens.RequestToken,
        });
    }

    private static async Task<IResult> ActAsync(long id, HttpContext context, IAntiforgery antiforgery, CourseRecord record, LessonResender resender, AdminAudit audit,
        EnrollmentViewQuery detail, CancellationToken cancellationToken)
    {
        var back = BackLink.ToEnrollment(id);
        if (await AdminForm.ReadAsync(context, antiforgery, cancellationToken) is not { } form)
        {
            return AdminForm.StaleToken(back);
        }
        var action = form["action"].ToString();
        Change change;
        string done;
        switch (action)
        {
            case "pause":
                if (!int.TryParse(form["days"], NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < PauseDays.Min or > PauseDays.Max)
                {
                    return AdminPage.Invalid("days", $"a whole number of days from {PauseDays.Min} to {PauseDays.Max}", back);
                }
                var extended = false;
                change = await audit.ActAsync(context, AuditActions.Pause, id, $"days={days}", async ct =>
                {
                    // Paused already: the record gave the pause its new length, counted from now. That is a change too,
                    // for the audit log as for the admin.
                    var paused = await record.PauseAsync(id, days, ct);
                    extended = paused == Change.Already;
                    return extended ? Change.Done : paused;
                }, cancellationToken);
                done = extended
                    ? $"It was paused already: the pause now lasts {days} day{(days == 1 ? "" : "s")} from now."
                    : $"Paused for {days} day{(days == 1 ? "" : "s")}.";
                break;
            case "resume":
                change = await audit.ActAsync(context, AuditActions.Resume, id, null, ct => record.ResumeAsync(id, ct), cancellationToken);
                done = "Resumed: the lessons left continue one a day at the reader's send time.";
                break;
            case "resend":
                if (!int.TryParse(form["day"], NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > Campaign.LessonCount)
                {
                    return AdminPage.Invalid("day", $"a lesson's day, a whole number from 1 to {Campaign.LessonCount}", back);
                }
                // Sent while the admin waits, so its entry follows the mail server's answer.
                var resent = await resender.ResendAsync(id, day, cancellationToken);
                await audit.RecordAsync(context, AuditActions.Resend, id, ResendOutcomeName(resent.Outcome), $"day={day}", cancellationToken);
                return resent.Outcome switch
                {
                    ResendOutcome.Sent => AdminPage.Message("Done", "Sent again", [resent.Detail], back),
                    ResendOutcome.NotAllowed => AdminPage.Message("Not possible", "Not possible now", [$"Not sent again: {resent.Detail}."], back, StatusCodes.Status409Conflict),
                    ResendOutcome.Refused => AdminPage.Message("Not sent", "Not sent again", [$"Not sent: {resent.Detail}."], back, StatusCodes.Status502BadGateway),
                    _ => NotFound(),
                };
            case "unsubscribe":
                change = await audit.ActAsync(context, AuditActions.Unsubscribe, id, null, ct => record.UnsubscribeAsync(id, ct), cancellationToken);
                done = "Unsubscribed: nothing more will be sent.";
                break;
            case "erase":
                change = await audit.ActAsync(context, AuditActions.Erase, id, null,
                    async ct => await record.EraseEnrollmentAsync(id, ct) > 0 ? Change.Done : Change.NotFound, cancellationToken);
                // The person is gone: back to the list, not to a page that no longer exists.
                return change == Change.Done
                    ? AdminPage.Message("Done", "Erased", ["Every enrollment of this address, its lessons and events are deleted; only the keyed suppression hash remains."],
                        BackLink.ToEnrollments)
                    : NotFound();
            default:
                return AdminPage.Invalid("action", "one of pause, resume, resend, unsubscribe, erase", back);
        }
        if (change == Change.NotFound)
        {
            return NotFound();
        }
        // What comes next, as the page's "why not?" says it once the change is made.
        var next = await detail.ReadAsync(id, cancellationToken) is { } after ? $"Now: {after.WhyNot}" : null;
        return change switch
        {
            Change.Done => AdminPage.Message("Done", "Done", [done, .. Lines(next)], back),
            Change.Already => AdminPage.Message("Nothing to change", "Nothing to change", [AlreadyText(action), .. Lines(next)], back),
            _ => AdminPage.Message("Not possible", "Not possible now", ["The course is not in a state that allows it (not confirmed yet, or over).", .. Lines(next)], back,
                StatusCodes.Status409Conflict),
        };
    }

    /// <summary>
    /// The person's data as a JSON download: a form's POST with antiforgery, like every act on a person, operators only,
    /// never cached, an attachment (the browser saves it rather than shows it), and on record. Erased or forgotten: 404.
    /// </summary>
    private static async Task<IResult> ExportAsync(long id, HttpContext context, PersonExport export, AdminAudit audit, CancellationToken cancellationToken)
    {
        if (await export.ReadAsync(id, cancellationToken) is not { } person)
        {
            await audit.RecordAsync(context, AuditActions.ExportJson, id, AuditOutcomes.NotFound, null, cancellationToken);
            return NotFound();
        }
        await audit.RecordAsync(context, AuditActions.ExportJson, id, AuditOutcomes.Done, $"enrollments={person.Enrollments.Count}", cancellationToken);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"enrollment-{id}.json\"";
        return TypedResults.Json(person, PersonExport.Json, "application/json; charset=utf-8");
    }

    /// <summary>The export used to be a link: an old bookmark learns where it went, and nothing is exported by a GET.</summary>
    private static RazorComponentResult ExportMovedToAForm(long id, HttpContext context)
    {
        context.Response.Headers.Allow = "POST";
        return AdminPage.Message("Use the button", "The export is a button now",
            ["A person's data is downloaded with the \"Download this person's data (JSON)\" button on their page, so each download is a form the audit log records."],
            BackLink.ToEnrollment(id), StatusCodes.Status405MethodNotAllowed);
    }

    private static RazorComponentResult NotFound() => AdminPage.NotFound("This enrollment", BackLink.ToEnrollments);

    private static string AlreadyText(string action) => action switch
    {
        "resume" => "It was not paused.",
        "unsubscribe" => "It was unsubscribed already.",
        _ => "It was so already.",
    };

    private static string[] Lines(string? line) => line is null ? [] : [line];

    private static string ResendOutcomeName(ResendOutcome outcome) => outcome switch
    {
        ResendOutcome.Sent => AuditOutcomes.Done,
        ResendOutcome.NotAllowed => AuditOutcomes.NotAllowed,
        ResendOutcome.Refused => AuditOutcomes.Refused,
        _ => AuditOutcomes.NotFound,
    };
}
