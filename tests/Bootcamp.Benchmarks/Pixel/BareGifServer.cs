using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bootcamp.Benchmarks.Pixel;

/// <summary>The yardstick: bare Kestrel answering the same 42-byte GIF with the same cache header, nothing else.</summary>
internal sealed class BareGifServer : IAsyncDisposable
{
    private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private readonly WebApplication _app;

    private BareGifServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<BareGifServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/t/o/{token}", (string token, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, max-age=0";
            return Results.Bytes(Gif, "image/gif");
        });
        await app.StartAsync();
        var address = app.Urls.First();
        return new BareGifServer(app, $"{address}/t/o/bare-token");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
