using Bootcamp.Benchmarks.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bootcamp.Benchmarks.Pixel;

/// <summary>
/// The yardstick: bare Kestrel answering the same 42-byte GIF with the same cache header, nothing else. It runs
/// as a process of its own, as the host does: inside the load generator it shared the load's thread pool, and
/// its CPU per answer could not be told from the load generator's.
/// </summary>
internal static class BareGifServer
{
    /// <summary>The harness's first argument that makes it this server (see Program.cs).</summary>
    public const string Mode = "bare-gif-server";

    private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static async Task<HostProcess> StartAsync(CancellationToken cancellationToken)
    {
        var server = HostProcess.StartHarnessMode(Mode);
        await server.WaitReadyAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return server;
    }

    public static string PixelUrl(HostProcess server) => $"{server.BaseUrl}/t/o/bare-token";

    /// <summary>In the child process: serves on <paramref name="url"/> until killed.</summary>
    public static async Task<int> ServeAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapGet("/t/o/{token}", (string token, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, max-age=0";
            return Results.Bytes(Gif, "image/gif");
        });
        app.MapGet("/health/ready", () => Results.Ok());
        await app.RunAsync();
        return 0;
    }
}
