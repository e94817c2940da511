using System.Net;
using Bootcamp.IntegrationTests.Hosting;

namespace Bootcamp.IntegrationTests.Security;

/// <summary>Every page a lesson's links open is limited per client: a forwarded lesson can't be replayed without end.</summary>
public sealed class TokenRateLimitTests
{
    [Fact]
    public async Task Each_token_page_answers_429_past_the_clients_limit_while_a_fresh_client_is_unaffected()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null,
            "--Forwarding:KnownProxies=127.0.0.1", "--RateLimits:TokenRequestsPerClientPerMinute=3");
        var pages = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, "/t/c/x"), (HttpMethod.Head, "/t/c/x"), (HttpMethod.Get, "/d/x"), (HttpMethod.Post, "/d/x"),
            (HttpMethod.Get, "/u/x"), (HttpMethod.Post, "/u/x"), (HttpMethod.Get, "/confirm/x"), (HttpMethod.Post, "/confirm/x"),
            (HttpMethod.Get, "/m/x"), (HttpMethod.Post, "/m/x"),
        };

        for (var i = 0; i < pages.Length; i++)
        {
            var (method, path) = pages[i];
            var replayer = $"203.0.113.{i + 1}";
            var replays = new List<HttpStatusCode>();
            for (var n = 0; n < 4; n++)
            {
                replays.Add(await SendAsync(host, method, path, replayer));
            }
            var fresh = await SendAsync(host, method, path, $"198.51.100.{i + 1}");

            // An unknown token is 404: the limit comes before anything reads it.
            Assert.True(replays is [HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests],
                $"{method} {path}: {string.Join(", ", replays)}");
            Assert.Equal(HttpStatusCode.NotFound, fresh);
        }
    }

    private static async Task<HttpStatusCode> SendAsync(TestHost host, HttpMethod method, string path, string client)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-For", client);
        if (method == HttpMethod.Post)
        {
            request.Content = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        }
        using var response = await host.Http.SendAsync(request);
        return response.StatusCode;
    }
}
