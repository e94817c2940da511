namespace Bootcamp.IntegrationTests.Hosting;

/// <summary>An HTML form's body, as a browser posts it.</summary>
public static class HttpForms
{
    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}
