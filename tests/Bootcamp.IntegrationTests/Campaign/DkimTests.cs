using System.Security.Cryptography;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Bootcamp.IntegrationTests.Campaign;

/// <summary>With <c>Dkim:*</c> set, what reaches the mail server verifies against the published key.</summary>
public sealed class DkimTests
{
    [Fact]
    public async Task The_confirmation_and_the_lesson_arrive_signed_and_verify()
    {
        using var key = RSA.Create(2048);
        var keyFile = TestScratch.NewPath("dkim", ".pem");
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port,
            "--Dkim:Selector=bootcamp1", $"--Dkim:PrivateKeyFile={keyFile}");
        var reader = new Subscriber(host, sink, "signed@example.org");

        await reader.JoinAsync();
        var lesson = (await reader.WaitForLessonsAsync(1)).Single();
        var confirmation = sink.Messages.First(m => m.Message.Subject?.Contains("Confirm", StringComparison.OrdinalIgnoreCase) == true);

        var verifier = new DkimVerifier(new PublishedKey(key));
        foreach (var received in new[] { confirmation, lesson })
        {
            var message = received.Message;
            var signature = message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)];
            Assert.Contains("s=bootcamp1", signature.Value, StringComparison.Ordinal);
            Assert.True(await verifier.VerifyAsync(message, signature), $"signature of \"{message.Subject}\" does not verify");
        }
        Assert.Contains("list-unsubscribe-post", lesson.Message.Headers[HeaderId.DkimSignature]?.ToLowerInvariant(), StringComparison.Ordinal);
    }

    /// <summary>The TXT record at bootcamp1._domainkey.localhost, as a receiving server would look it up.</summary>
    private sealed class PublishedKey(RSA key) : IDkimPublicKeyLocator
    {
        private readonly AsymmetricKeyParameter _public = PublicKeyFactory.CreateKey(key.ExportSubjectPublicKeyInfo());

        public AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            (domain, selector) == ("localhost", "bootcamp1") ? _public : throw new InvalidOperationException($"no record at {selector}._domainkey.{domain}");

        public Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
