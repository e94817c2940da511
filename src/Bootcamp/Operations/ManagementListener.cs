namespace Bootcamp.Operations;

/// <summary>
/// Kestrel listens on the public URLs and on Management:Urls. Which listener a request came in on is told by
/// the connection's local port, never by the Host header, which a client writes itself.
/// </summary>
public static class ManagementListener
{
    private const string DefaultUrls = "http://localhost:5000";

    public static WebApplicationBuilder AddManagementListener(this WebApplicationBuilder builder)
    {
        var management = Split(builder.Configuration[$"{ManagementOptions.Section}:Urls"] ?? new ManagementOptions().Urls);
        var publicUrls = PublicUrls(builder.Configuration);
        var ports = new ManagementPorts(management.Select(url => PortOf(url, $"{ManagementOptions.Section}:Urls")).ToHashSet());
        foreach (var url in publicUrls)
        {
            if (ports.Contains(PortOf(url, "Urls")))
            {
                throw new ConfigurationException($"{ManagementOptions.Section}:Urls", $"port {PortOf(url, "Urls")} is also a public port (Urls); give the management listener a port of its own.");
            }
        }
        builder.Services.AddSingleton(ports);
        builder.WebHost.UseUrls([.. publicUrls, .. management]);
        return builder;
    }

    /// <summary>After routing: a management endpoint on a public port, or anything else on the management port, is 404.</summary>
    public static IApplicationBuilder UseManagementListener(this IApplicationBuilder app)
    {
        var ports = app.ApplicationServices.GetRequiredService<ManagementPorts>();
        return app.Use((context, next) =>
        {
            var marked = context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint>();
            var allowed = ports.Contains(context.Connection.LocalPort) ? marked is not null : marked is null or { AlsoPublic: true };
            if (allowed)
            {
                return next(context);
            }
            // The same bare 404 as a path nobody mapped.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    /// <summary>What ASP.NET Core itself would listen on: Urls, else HTTP_PORTS/HTTPS_PORTS, else its default.</summary>
    private static string[] PublicUrls(IConfiguration configuration)
    {
        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        if (urls.Length > 0)
        {
            return urls;
        }
        var http = Split(configuration[WebHostDefaults.HttpPortsKey]).Select(port => $"http://*:{port}");
        var https = Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(port => $"https://*:{port}");
        string[] ports = [.. http, .. https];
        return ports.Length > 0 ? ports : [DefaultUrls];
    }

    private static string[] Split(string? urls) =>
        (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int PortOf(string url, string key)
    {
        try
        {
            var port = BindingAddress.Parse(url).Port;
            return port > 0 ? port : throw new ConfigurationException(key, $"'{url}' needs a fixed port.");
        }
        catch (FormatException)
        {
            throw new ConfigurationException(key, $"'{url}' is not a URL to listen on, such as http://127.0.0.1:9464.");
        }
    }
}

/// <summary>The local ports of the management listener.</summary>
public sealed class ManagementPorts(IReadOnlySet<int> ports)
{
    public bool Contains(int port) => ports.Contains(port);
}
