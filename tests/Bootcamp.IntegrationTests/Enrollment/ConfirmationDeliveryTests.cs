using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Enrollment;

/// <summary>Confirmations of sign-ups that arrive together travel together; one refused for a moment holds up nobody.</summary>
public sealed class ConfirmationDeliveryTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Sign_ups_arriving_together_each_get_one_confirmation_even_when_one_is_deferred_with_451(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port);
        var readers = Enumerable.Range(1, 12).Select(i => new Subscriber(host, sink, $"together{i}@example.org")).ToList();
        var deferred = readers[5];
        sink.FailNext(deferred.Email, times: 1);

        await Task.WhenAll(readers.Select(r => r.SignUpAsync()));

        foreach (var reader in readers)
        {
            await reader.WaitForConfirmationAsync();
        }
        // The record says every confirmation went out, so no retry is pending that could send one twice.
        await Eventually.ReturnsAsync(
            () => host.QueryAsync(db => db.Enrollments.CountAsync(e => e.ConfirmationSentAt != null && e.ConfirmationSentAt >= e.ConfirmationRequestedAt)),
            sent => sent == readers.Count, what: "every confirmation recorded as sent");
        Assert.All(readers, r => Assert.Single(r.AllMail.Confirmations()));
    }
}
