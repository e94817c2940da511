using System.Net;
using System.Net.Http.Json;
using Bootcamp.IntegrationTests.Hosting;

namespace Bootcamp.IntegrationTests.Enrollment;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Too_many_sign_ups_from_one_client_get_429()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null, "--RateLimits:SignupsPerIpPerMinute=3");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await host.Http.PostAsJsonAsync("/api/enrollments", new { email = $"ip-{i}@example.org", timeZone = "Europe/Paris" });
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
