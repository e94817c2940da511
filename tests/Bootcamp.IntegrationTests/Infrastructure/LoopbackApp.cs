using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>A bare Kestrel app on a free loopback port, for the receivers tests stand up (webhooks, OTLP).</summary>
internal static class LoopbackApp
{
    /// <returns>The app, not started yet (map its endpoints, then start it), and its base URL.</returns>
    public static (WebApplication App, string BaseUrl) Create()
    {
        var baseUrl = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(baseUrl);
        return (builder.Build(), baseUrl);
    }
}
