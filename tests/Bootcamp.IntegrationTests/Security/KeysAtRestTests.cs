using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Bootcamp.IntegrationTests.Security;

/// <summary>
/// With DataProtection:CertificatePath set, the Data Protection keys (admin cookies, confirmation links) are
/// encrypted before they reach the database, and a restarted process still reads them; without it, start-up
/// says plainly that they are not.
/// </summary>
public sealed class KeysAtRestTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_a_restarted_process_still_opens_confirmation_links(string provider)
    {
        var certificate = await CertificateFileAsync("correct horse");
        string[] settings = [$"--DataProtection:CertificatePath={certificate}", "--DataProtection:CertificatePassword=correct horse"];
        await using var sink = await SmtpSink.StartAsync();
        var storage = await TestStorage.CreateAsync(provider);
        string confirmPath;
        List<string> stored;
        await using (var first = await TestHost.StartAsync(storage, sink.Port, settings))
        {
            var reader = new Subscriber(first, sink, "reader@example.org");
            await reader.SignUpAsync();
            confirmPath = new Uri((await reader.WaitForConfirmationAsync()).Message.Link("/confirm/")).AbsolutePath;
            stored = await first.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        }

        Assert.NotEmpty(stored);
        foreach (var xml in stored)
        {
            // Plain keys carry <masterKey …><value>base64</value>; encrypted ones an XML-Encryption envelope instead.
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }

        await using var second = await TestHost.StartAsync(storage, sink.Port, settings);
        using var confirmed = await second.Http.PostAsync(confirmPath, content: null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    [Fact]
    public async Task Without_a_certificate_start_up_warns_that_the_keys_are_stored_unencrypted()
    {
        var storage = await TestStorage.CreateAsync("Sqlite");
        using var logs = new FakeLoggerProvider();
        await using (var app = BootcampApp.Build([$"--contentRoot={RepositoryRoot.Path}", "--Admin:Email=", "--Admin:Password=", .. storage.Arguments()]))
        {
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
            await app.PrepareAsync();
        }
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning
            && r.Message.Contains("Data Protection keys and the link-token and address-hash keys are stored unencrypted", StringComparison.Ordinal)
            && r.Message.Contains("test guessed addresses", StringComparison.Ordinal)
            && r.Message.Contains("DataProtection:CertificatePath", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_the_password_does_not_open_stops_start_up_naming_the_key()
    {
        var certificate = await CertificateFileAsync("right");
        var e = await Assert.ThrowsAsync<Bootcamp.Operations.ConfigurationException>(async () =>
        {
            await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null,
                $"--DataProtection:CertificatePath={certificate}", "--DataProtection:CertificatePassword=wrong");
        });
        Assert.Equal("DataProtection:CertificatePath", e.Key);
    }

    /// <summary>What the README's openssl commands make: a self-signed RSA certificate with its key, as .pfx.</summary>
    internal static async Task<string> CertificateFileAsync(string password)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=Bootcamp Data Protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        var file = TestScratch.NewPath("dataprotection", ".pfx");
        await File.WriteAllBytesAsync(file, certificate.Export(X509ContentType.Pkcs12, password));
        return file;
    }
}
