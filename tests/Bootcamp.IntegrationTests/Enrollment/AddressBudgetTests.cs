using System.Net;
using System.Net.Http.Json;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.IntegrationTests.Enrollment;

/// <summary>
/// The form must not be a way to flood someone's inbox: confirmations per inbox are limited, counting the
/// spellings a provider delivers to the same inbox as one, across every process, and without the answer
/// telling the sender anything.
/// </summary>
public sealed class AddressBudgetTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Spellings_of_one_gmail_inbox_share_one_budget_and_every_sign_up_gets_the_same_answer(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port, "--RateLimits:ConfirmationsPerAddressPerDay=2");

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var email in new[] { "victim+1@gmail.com", "v.ictim@gmail.com", "VICTIM@GMAIL.COM", "vic.tim+2@googlemail.com", "someone.else@gmail.com" })
        {
            answers.Add(await SignUpAsync(host.Http, email));
        }
        await host.WaitUntilJobsAreDoneAsync();
        // Hangfire's statistics can show nothing enqueued or processing for a moment while a job is being fetched: the mail itself decides.
        var confirmations = await Eventually.ReturnsAsync(() => Task.FromResult(sink.Messages.Confirmations()), c => c.Count >= 3, what: "three confirmations");

        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
        Assert.Equal(HttpStatusCode.Accepted, answers[0].Item1);
        // The first two spellings spent the inbox's budget of two; the other two were sent nothing.
        Assert.Single(sink.Messages.To("victim+1@gmail.com").Confirmations());
        Assert.Single(sink.Messages.To("v.ictim@gmail.com").Confirmations());
        Assert.Empty(sink.Messages.To("vic.tim+2@googlemail.com"));
        Assert.Single(sink.Messages.To("someone.else@gmail.com").Confirmations());
        Assert.Equal(3, confirmations.Count);
        // Only keyed hashes are kept for counting: no address, in any spelling, is in the counters' table.
        var keys = await host.QueryAsync(db => Task.FromResult(db.SignupCounters.Select(c => c.KeyHash).ToList()));
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Matches("^[0-9a-f]{64}$", key));
    }

    [Fact]
    public async Task Two_processes_on_one_database_spend_from_one_budget()
    {
        await using var sink = await SmtpSink.StartAsync();
        var storage = await TestStorage.CreateAsync("Postgres");
        await using var first = await TestHost.StartAsync(storage, sink.Port, "--RateLimits:ConfirmationsPerAddressPerDay=1");
        await using var second = await TestHost.StartAsync(storage, sink.Port, "--RateLimits:ConfirmationsPerAddressPerDay=1");

        var spent = await SignUpAsync(first.Http, "victim@gmail.com");
        var refused = await SignUpAsync(second.Http, "v.i.c.t.i.m+again@gmail.com");
        await first.WaitUntilJobsAreDoneAsync();
        await second.WaitUntilJobsAreDoneAsync();

        Assert.Equal(spent, refused);
        Assert.Single(sink.Messages.To("victim@gmail.com").Confirmations());
        Assert.Empty(sink.Messages.To("v.i.c.t.i.m+again@gmail.com"));
    }

    [Fact]
    public async Task The_per_domain_limit_is_off_unless_configured()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using (var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port))
        {
            for (var i = 0; i < 4; i++)
            {
                await SignUpAsync(host.Http, $"reader{i}@example.net");
            }
            await host.WaitUntilJobsAreDoneAsync();
        }
        Assert.Equal(4, sink.Messages.Confirmations().Count);

        sink.Reset();
        await using (var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port, "--RateLimits:ConfirmationsPerDomainPerDay=2"))
        {
            for (var i = 0; i < 4; i++)
            {
                await SignUpAsync(host.Http, $"reader{i}@example.net");
            }
            await host.WaitUntilJobsAreDoneAsync();
        }
        Assert.Equal(2, sink.Messages.Confirmations().Count);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SignUpAsync(HttpClient http, string email)
    {
        using var response = await http.PostAsJsonAsync("/api/enrollments", new { email, firstName = "Sam", timeZone = "Europe/Paris" });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
