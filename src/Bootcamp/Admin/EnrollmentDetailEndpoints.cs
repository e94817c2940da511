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
/// GET /admin/enrollments/{id} (the person, the timeline, "why not?") and POST /admin/enrollments/{id}: one
/// action per POST (pause with days, resume, resend with day, unsubscribe, erase), through the course's record,
/// antiforgery checked, each written to the audit log (in the same transaction as its change where it is one).
/// GET /admin/enrollments/{id}.json: everything stored about the person, as a download (<see cref="PersonExport"/>).
/// Viewers see the page with the address masked and no actions, and are refused every POST and the export.
/// </summary>
public static class EnrollmentDetailEndpoints
{
    public static RouteGroupBuilder MapEnrollmentDetail(this RouteGroupBuilder admin)
    {
        admin.MapGet("/enrollments/{id:long}", ShowAsync);
        admin.MapPost("/enrollments/{id:long}", ActAsync).RequireAuthorization(AdminPolicies.Operator);
        admin.MapGet("/enrollments/{id:long}.json", ExportAsync).RequireAuthorization(AdminPolicies.Operator);
        return admin;
    }

    private static async Task<IResult> ShowAsync(long id, string? ask, HttpContext context, IAntiforgery antiforgery, EnrollmentViewQuery detail, AdminAudit audit, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await detail.ReadAsync(id, cancellationToken) is not { } view)
        {
            return Page.NotFound();
        }
        // Looking at a person is on record too.
        await audit.RecordAsync(context, AuditActions.ViewEnrollment, id, AuditOutcomes.Done, null, cancellationToken);
        var mayAct = context.User.IsOperator();
        if (!mayAct)
        {
            view = view with { Email = EnrollmentList.Mask(view.Email) };
        }
        var tokens = antiforgery.GetAndStoreTokens(context);
        if (ask == "erase" && mayAct)
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
            [nameof(AdminEnrollmentPage.MayAct)] = mayAct,
            [nameof(AdminEnrollmentPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(AdminEnrollmentPage.AntiforgeryToken)] = tokens.RequestToken,
        });
    }

    private static async Task<IResult> ActAsync(long id, HttpContext context, IAntiforgery antiforgery, CourseRecord record, LessonResender resender, AdminAudit audit, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await AdminForm.ReadAsync(context, antiforgery, cancellationToken) is not { } form)
        {
            return AdminForm.StaleToken();
        }
        var action = form["action"].ToString();
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
                change = await audit.ActAsync(context, AuditActions.Pause, id, $"days={days}", ct => record.PauseAsync(id, days, ct), cancellationToken);
                done = $"Paused for {days} day{(days == 1 ? "" : "s")}.";
                break;
            case "resume":
                change = await audit.ActAsync(context, AuditActions.Resume, id, null, ct => record.ResumeAsync(id, ct), cancellationToken);
                done = "Resumed: the lessons left continue one a day at the reader's send time.";
                break;
            case "resend":
                if (!int.TryParse(form["day"], NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > Campaign.LessonCount)
                {
                    return AdminForm.Invalid("day", $"a lesson's day, a whole number from 1 to {Campaign.LessonCount}");
                }
                // Sent while the admin waits, so its entry follows the mail server's answer.
                var resent = await resender.ResendAsync(id, day, cancellationToken);
                await audit.RecordAsync(context, AuditActions.Resend, id, ResendOutcomeName(resent.Outcome), $"day={day}", cancellationToken);
                return resent.Outcome switch
                {
                    ResendOutcome.Sent => Page.Message("Done", "Sent again", [resent.Detail, $"Back: {back}"]),
                    ResendOutcome.NotAllowed => Page.Message("Not possible", "Not possible now", [$"Not sent again: {resent.Detail}.", $"Back: {back}"], status: StatusCodes.Status409Conflict),
                    ResendOutcome.Refused => Page.Message("Not sent", "Not sent again", [$"Not sent: {resent.Detail}.", $"Back: {back}"], status: StatusCodes.Status502BadGateway),
                    _ => Page.NotFound(),
                };
            case "unsubscribe":
                change = await audit.ActAsync(context, AuditActions.Unsubscribe, id, null, ct => record.UnsubscribeAsync(id, ct), cancellationToken);
                done = "Unsubscribed: nothing more will be sent.";
                break;
            case "erase":
                change = await audit.ActAsync(context, AuditActions.Erase, id, null,
                    async ct => await record.EraseEnrollmentAsync(id, ct) > 0 ? Change.Done : Change.NotFound, cancellationToken);
                done = "Erased: only the suppression hash remains.";
                break;
            default:
                return AdminForm.Invalid("action", "one of pause, resume, resend, unsubscribe, erase");
        }
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
    private static async Task<IResult> ExportAsync(long id, HttpContext context, PersonExport export, AdminAudit audit, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await export.ReadAsync(id, cancellationToken) is not { } person)
        {
            return TypedResults.NotFound();
        }
        await audit.RecordAsync(context, AuditActions.ExportJson, id, AuditOutcomes.Done, $"enrollments={person.Enrollments.Count}", cancellationToken);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"enrollment-{id}.json\"";
        return TypedResults.Json(person, PersonExport.Json, "application/json; charset=utf-8");
    }

    private static string ResendOutcomeName(ResendOutcome outcome) => outcome switch
    {
        ResendOutcome.Sent => AuditOutcomes.Done,
        ResendOutcome.NotAllowed => AuditOutcomes.NotAllowed,
        ResendOutcome.Refused => AuditOutcomes.Refused,
        _ => AuditOutcomes.NotFound,
    };
}
