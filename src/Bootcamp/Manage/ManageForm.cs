using Bootcamp.Pages;

namespace Bootcamp.Manage;

/// <summary>The fields of POST /m/{token}: <c>action</c> and what that action needs.</summary>
/// <param name="Days">pause: 1–30.</param>
/// <param name="SendAt">time: HH:mm.</param>
/// <param name="TimeZone">time: an IANA zone.</param>
/// <param name="Value">discreet, tracking: on or off; stage: a stage name or none.</param>
public sealed record ManageForm(string? Action, string? Days, string? SendAt, string? TimeZone, string? Value)
{
    /// <summary>The posted form; no fields at all when the body is not a form (the action is then missing).</summary>
    public static async Task<ManageForm> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = await PostedForm.ReadAsync(request, cancellationToken) ?? FormCollection.Empty;
        return new ManageForm(form.Field("action"), form.Field("days"), form.Field("sendAt"), form.Field("timeZone"), form.Field("value"));
    }
}
