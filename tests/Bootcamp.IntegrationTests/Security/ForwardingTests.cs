using System.Net;
using System.Net.Http.Json;
using Bootcamp.IntegrationTests.Hosting;

namespace Bootcamp.IntegrationTests.Security;

/// <summary>
/// Behind a reverse proxy every request comes from the proxy's address. Forwarding:KnownProxies names the proxies
/// whose X-Forwarded-For and X-Forwarded-Proto are believed; the test's own loopback address plays the proxy.
/// </summary>
public sealed class ForwardingTests
{
    private const string Proxy = "--Forwarding:KnownProxies=127.0.0.1";

    [Fact]
    public async Task Clients_behind_a_trusted_proxy_have_their_own_sign_up_limits_and_an_untrusted_peers_headers_are_ignored()
    {
        await using (var trusting = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null, Proxy, "--RateLimits:SignupsPerIpPerMinute=2"))
        {
            var first = await SignUpsAsync(trusting, "203.0.113.1", 3);
            var second = await SignUpsAsync(trusting, "203.0.113.2", 1);

            Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], first);
            Assert.Equal([HttpStatusCode.Accepted], second);
        }
        // Nothing configured, and a proxy that is not this peer: the headers are anyone's to write, so one shared limit.
        foreach (var setting in new[] { "--Forwarding:KnownProxies=", "--Forwarding:KnownProxies=192.0.2.10, 198.51.100.0/24" })
        {
            await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null, setting, "--RateLimits:SignupsPerIpPerMinute=2");
            var first = await SignUpsAsync(host, "203.0.113.1", 2);
            var second = await SignUpsAsync(host, "203.0.113.2", 1);

            Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], first);
            Assert.True(second is [HttpStatusCode.TooManyRequests], $"{setting}: {string.Join(", ", first.Concat(second))}");
        }
    }

    [Fact]
    public async Task IPv6_clients_share_a_limit_within_a_64_and_not_across()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null, Proxy, "--RateLimits:SignupsPerIpPerMinute=2");

        var sameSixtyFour = new List<HttpStatusCode>();
        foreach (var address in new[] { "2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2::abcd" })
        {
            sameSixtyFour.AddRange(await SignUpsAsync(host, address, 1));
        }
        var nextSixtyFour = await SignUpsAsync(host, "2001:db8:1:3::1", 1);

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], sameSixtyFour);
        Assert.Equal([HttpStatusCode.Accepted], nextSixtyFour);
    }

    [Fact]
    public async Task Over_https_through_a_trusted_proxy_cookies_are_secure_and_HSTS_is_sent_and_over_http_neither()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null, Proxy);

        using var https = await GetHomeAsync(host, proto: "https");
        using var http = await GetHomeAsync(host, proto: null);

        Assert.Equal(HttpStatusCode.OK, https.StatusCode);
        Assert.Contains("; secure", Assert.Single(https.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("max-age=31536000", Assert.Single(https.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal(HttpStatusCode.OK, http.StatusCode);
        Assert.DoesNotContain("secure", Assert.Single(http.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task An_untrusted_peer_claiming_https_gets_neither_secure_cookies_nor_HSTS()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null, "--Forwarding:KnownProxies=192.0.2.10");

        using var response = await GetHomeAsync(host, proto: "https");

        Assert.DoesNotContain("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    private static async Task<List<HttpStatusCode>> SignUpsAsync(TestHost host, string client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/enrollments")
            {
                Content = JsonContent.Create(new { email = $"{Guid.NewGuid():N}@example.org", timeZone = "Europe/Paris" }),
            };
            request.Headers.Add("X-Forwarded-For", client);
            using var response = await host.Http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }

    /// <summary>GET / as the proxy passes it on; the host name is not loopback's, whose answers never carry HSTS.</summary>
    private static async Task<HttpResponseMessage> GetHomeAsync(TestHost host, string? proto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "bootcamp.example";
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }
        return await host.Http.SendAsync(request);
    }
}
