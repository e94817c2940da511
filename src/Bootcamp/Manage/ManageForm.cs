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
        if (!request.HasFormContentType)
        {
            return new ManageForm(null, null, null, null, null);
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            // A malformed multipart body, or more fields than the form reader takes.
            return new ManageForm(null, null, null, null, null);
        }
        return new ManageForm(Field(form, "action"), Field(form, "days"), Field(form, "sendAt"), Field(form, "timeZone"), Field(form, "value"));
    }

    private static string? Field(IFormCollection form, string name) => form.TryGetValue(name, out var values) ? values.ToString() : null;
}
