using System.Net;
using System.Text;
using System.Text.Json;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Enrollment;

/// <summary>A new enrollment is one INSERT that a unique index guards; a sign-up that loses the race is no error.</summary>
public sealed class ConcurrentSignupTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_same_new_address_signing_up_ten_times_at_once_gets_one_enrollment_and_ten_202s(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--RateLimits:ConfirmationsPerAddressPerDay=0");
        var before = DateTime.UtcNow;

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await host.Http.PostAsync("/api/enrollments", new StringContent(
                JsonSerializer.Serialize(new { email = "Race@Example.org", timeZone = "Asia/Tokyo", firstName = "Ren", discreet = true }),
                Encoding.UTF8, "application/json"));
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Accepted, status));
        var enrollment = await host.QueryAsync(db => db.Enrollments.AsNoTracking().SingleAsync(e => e.EmailKey == "race@example.org"));
        // No "tracking" in the request: not tracked (tracking is by consent only).
        Assert.Equal(("Race@Example.org", "Ren", "Asia/Tokyo", true, true, EnrollmentStatus.Pending, "api"),
            (enrollment.Email, enrollment.FirstName, enrollment.TimeZone, enrollment.Discreet, enrollment.NoTracking, enrollment.Status, enrollment.ConsentSource));
        Assert.InRange(enrollment.CreatedAt, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(enrollment.CreatedAt, enrollment.ConfirmationRequestedAt);
        // Exactly one confirmation goes out: after the first, wait until nothing is left that could send a second.
        await sink.WaitForAsync(m => m.Count >= 1, TimeSpan.FromSeconds(20));
        await host.WaitUntilJobsAreDoneAsync();
        Assert.Single(sink.Messages, m => m.Recipients.Contains("Race@Example.org"));
    }
}
