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
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null, $"--Smtp:PickupDirectory={pickup}");
        await using var unused = await SmtpSink.StartAsync();
        await new Subscriber(host, unused, "pickup@example.org").SignUpAsync();

        var files = await Eventually.ReturnsAsync(
            () => Task.FromResult(Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml") : []),
            found => found.Length == 1, what: "one .eml file");

        var message = await MimeMessage.LoadAsync(files[0]);
        Assert.Equal("pickup@example.org", message.To.Mailboxes.Single().Address);
        Assert.Contains($"{host.BaseUrl}/confirm/", message.TextBody);
        Assert.Empty(unused.Messages);
    }
}
