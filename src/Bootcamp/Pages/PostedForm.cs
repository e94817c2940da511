namespace Bootcamp.Pages;

/// <summary>
/// A page's posted form, read by hand rather than bound, so that a missing, malformed or non-form body gets
/// the page naming what is wrong instead of a bare 400, a 415 or a server error.
/// </summary>
public static class PostedForm
{
    /// <returns>The fields; null when the body is not a form that can be read.</returns>
    public static async Task<IFormCollection?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            // A multipart body without its boundary, or more fields than the form reader takes.
            return null;
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            // A multipart body that ends before its closing boundary. An over-limit body (BadHttpRequestException)
            // goes on to RequestBodyLimits, which answers 413.
            return null;
        }
    }

    public static string? Field(this IFormCollection form, string name) => form.TryGetValue(name, out var values) ? values.ToString() : null;
}
