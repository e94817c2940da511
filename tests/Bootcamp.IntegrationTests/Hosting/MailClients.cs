using System.Net;

namespace Bootcamp.IntegrationTests.Hosting;

/// <summary>Requests as a reader's mail program makes them: a person's browser, or a machine fetching images.</summary>
public static class MailClients
{
    public const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

    /// <summary>What a privacy proxy sends: no browser in its user agent.</summary>
    public const string Machine = "Mozilla/5.0";

    /// <summary>GETs a pixel or click link as <paramref name="userAgent"/>; the answer must be the pixel or the redirect.</summary>
    public static async Task GetAsync(TestHost host, string url, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await host.Http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found, $"{url} answered {response.StatusCode}");
    }
}
