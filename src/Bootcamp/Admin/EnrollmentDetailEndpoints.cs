using System.Globalization;
using Bootcamp.Admin.Accounts;
using Bootcamp.Admin.Audit;
using Bootcamp.Courses;
using Bootcamp.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bootcamp.Admin;

/// <summary>
/// GET /admin/enrollments/{id} (the person, the timeline, "why not?") and POST /admin/enrollments/{id}: one
/// action per POST (pause with days, resume, unsubscribe, erase), through the course's record, antiforgery
/// checked, each written to the audit log in the same transaction as its change. Viewers see the page with the
/// address masked and no actions, and are refused every POST.
/// </summary>
public static class EnrollmentDetailEndpoints
{
    public static RouteGroupBuilder MapEnrollmentDetail(this RouteGroupBuilder admin)
    {
        admin.MapGet("/enrollments/{id:long}", ShowAsync);
        admin.MapPost("/enrollments/{id:long}", ActAsync).RequireAuthorization(AdminPolicies.Operator);
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

    private static async Task<IResult> ActAsync(long id, HttpContext context, IAntiforgery antiforgery, CourseRecord record, AdminAudit audit, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        // The form is read by hand, so the token is checked here rather than by binding.
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
        {
            return Invalid("__af", "the form's token is missing or stale; open the page again and repeat");
        }
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var action = form["action"].ToString();
        Change change;
        string done;
        switch (action)
        {
            case "pause":
                if (!int.TryParse(form["days"], NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > 30)
                {
                    return Invalid("days", "a whole number of days from 1 to 30");
                }
                change = await audit.ActAsync(context, AuditActions.Pause, id, $"days={days}", ct => record.PauseAsync(id, days, ct), cancellationToken);
                done = $"Paused for {days} day{(days == 1 ? "" : "s")}.";
                break;
            case "resume":
                change = await audit.ActAsync(context, AuditActions.Resume, id, null, ct => record.ResumeAsync(id, ct), cancellationToken);
                done = "Resumed: the lessons left continue one a day at the reader's send time.";
                break;
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
                return Invalid("action", "one of pause, resume, unsubscribe, erase");
        }
        var back = action == "erase" ? "/admin/enrollments" : $"/admin/enrollments/{id}";
        return change switch
        {
            Change.Done => Page.Message("Done", "Done", [done, $"Back: {back}"]),
            Change.Already => Page.Message("Nothing to change", "Nothing to change", ["It was so already.", $"Back: {back}"]),
            Change.NotAllowed => Page.Message("Not possible", "Not possible now", ["The course is not in a state that allows it (not confirmed yet, or over).", $"Back: {back}"],
                status: StatusCodes.Status409Conflict),
            _ => Page.NotFound(),
        };
    }

    private static IResult Invalid(string field, string expected) =>
        Page.Message("Please check", "Please check the form", [$"{field}: {expected}."], status: StatusCodes.Status400BadRequest);
}
