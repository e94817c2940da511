using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using MimeKit;

namespace Bootcamp.IntegrationTests.Enrollment;

public sealed class EmbeddedDefaultsTests
{
    [Fact]
    public async Task Without_an_smtp_host_each_email_is_written_as_an_eml_file()
    {
        var pickup = TestScratch.NewPath("pickup");
        // A mail server on the configured port: only Smtp:Host is missing, so nothing may reach it.
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null,
            $"--Smtp:PickupDirectory={pickup}", $"--Smtp:Port={sink.Port}", "--Smtp:Security=None");
        await new Subscriber(host, sink, "pickup@example.org").SignUpAsync();

        await host.WaitUntilJobsAreDoneAsync();

        Assert.Empty(sink.Messages);
        var file = Assert.Single(Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml") : []);
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("pickup@example.org", message.To.Mailboxes.Single().Address);
        Assert.Contains($"{host.BaseUrl}/confirm/", message.TextBody);
    }
}
