using System.Net;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Tracking;

/// <summary>A forwarded or scripted lesson link replayed over and over: the first click per link is what the record keeps.</summary>
public sealed class ClickReplayTests
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Two_hundred_replays_of_one_link_add_one_event(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port);
        var reader = new Subscriber(host, sink, $"replayed-{provider.ToLowerInvariant()}@example.org");
        await reader.JoinAsync();
        var lessons = await reader.WaitForLessonsAsync(3);
        // Lesson 1 has one link (decided on its own); lesson 3 has two (looked at with its other early clicks).
        var oneLink = lessons.Single(m => m.Day() == 1).Message.Links("/t/c/")[0];
        var twoLinks = lessons.Single(m => m.Day() == 3).Message.Links("/t/c/")[0];

        foreach (var url in new[] { oneLink, twoLinks })
        {
            for (var i = 0; i < 200; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("User-Agent", Browser);
                using var response = await host.Http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            }
        }

        Assert.Equal(["click:0"], await ClickKindsAsync(host, reader, 1));
        Assert.Equal(["click:0"], await ClickKindsAsync(host, reader, 3));
    }

    private static Task<List<string>> ClickKindsAsync(TestHost host, Subscriber reader, int day) =>
        host.QueryAsync(db => db.Events.Where(e => db.Lessons.Any(l => l.Id == e.LessonId && l.Enrollment!.EmailKey == reader.Email && l.Day == day))
            .Select(e => e.Kind).ToListAsync());
}
