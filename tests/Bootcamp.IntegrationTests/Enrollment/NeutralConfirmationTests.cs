using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;

namespace Bootcamp.IntegrationTests.Enrollment;

/// <summary>
/// Anyone can type another person's address and a name into the form. The confirmation that lands in that
/// inbox, or on its lock screen, must say nothing of the topic and nothing the stranger typed.
/// </summary>
public sealed class NeutralConfirmationTests
{
    // The shared list, and "day 1": a confirmation must not read like the first lesson.
    private static readonly string[] TopicWords = [.. Hosting.TopicWords.All, "day 1"];

    [Fact]
    public async Task A_reader_who_did_not_ask_for_discretion_still_gets_a_neutral_confirmation_without_the_typed_name()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port);
        var reader = new Subscriber(host, sink, "someone-else@example.org");

        await reader.SignUpAsync(discreet: false, firstName: "Harasser Says Hello");
        var message = (await reader.WaitForConfirmationAsync()).Message;

        Assert.Equal("Daily Notes", message.From.Mailboxes.Single().Name);
        Assert.Equal("notes@localhost", message.From.Mailboxes.Single().Address);
        var text = message.TextBody ?? string.Empty;
        var html = message.HtmlBody ?? string.Empty;
        Assert.DoesNotContain("Harasser", text + html + message.Subject);
        var preheader = html[html.IndexOf("display:none", StringComparison.Ordinal)..];
        preheader = preheader[(preheader.IndexOf('>') + 1)..preheader.IndexOf('<')];
        var firstLines = string.Join("\n", text.Split('\n').Take(8));
        foreach (var (part, value) in new[] { ("subject", message.Subject ?? string.Empty), ("preheader", preheader), ("first lines", firstLines), ("List-Id", message.Headers["List-Id"] ?? string.Empty) })
        {
            Assert.NotEmpty(value);
            foreach (var word in TopicWords)
            {
                Assert.False(value.Contains(word, StringComparison.OrdinalIgnoreCase), $"'{word}' in the confirmation's {part}: {value}");
            }
        }
        // Still the confirmation: the link that starts the course is there.
        Assert.Contains($"{host.BaseUrl}/confirm/", text);
    }
}
