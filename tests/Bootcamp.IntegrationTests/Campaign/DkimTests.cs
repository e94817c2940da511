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

    [Fact]
    public async Task Each_sending_domain_signs_with_its_own_key_and_the_discreet_mail_names_only_its_own_domain()
    {
        using var courseKey = RSA.Create(2048);
        using var notesKey = RSA.Create(2048);
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), sink.Port,
            "--Campaign:From=Course <course@course.example>", "--Campaign:DiscreetFrom=Daily Notes <notes@notes.example>",
            "--Dkim:Domains:0:Domain=course.example", "--Dkim:Domains:0:Selector=c1", $"--Dkim:Domains:0:PrivateKeyFile={await KeyFileAsync(courseKey)}",
            "--Dkim:Domains:1:Domain=notes.example", "--Dkim:Domains:1:Selector=n1", $"--Dkim:Domains:1:PrivateKey={notesKey.ExportPkcs8PrivateKeyPem()}");
        var open = new Subscriber(host, sink, "open@example.org");
        var discreet = new Subscriber(host, sink, "discreet@example.org");

        await open.JoinAsync();
        await discreet.JoinAsync(discreet: true);
        var openLesson = (await open.WaitForLessonsAsync(1))[0];
        var discreetLesson = (await discreet.WaitForLessonsAsync(1))[0];
        var confirmation = sink.Messages.To("open@example.org").Confirmations()[0];

        var verifier = new DkimVerifier(new PublishedKey(("course.example", "c1", courseKey), ("notes.example", "n1", notesKey)));
        foreach (var (received, domain, selector) in new[] { (openLesson, "course.example", "c1"), (discreetLesson, "notes.example", "n1"), (confirmation, "notes.example", "n1") })
        {
            var message = received.Message;
            Assert.EndsWith($"@{domain}", message.From.Mailboxes.Single().Address, StringComparison.Ordinal);
            var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
            var signature = Assert.Single(signatures);
            Assert.Contains($"d={domain};", signature.Value.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains($"s={selector};", signature.Value.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.True(await verifier.VerifyAsync(message, signature), $"signature of \"{message.Subject}\" does not verify against {selector}._domainkey.{domain}");
        }
    }

    [Fact]
    public async Task A_missing_or_bad_key_for_one_domain_stops_start_up_naming_its_key()
    {
        using var key = RSA.Create(2048);
        var good = await KeyFileAsync(key);
        var bad = TestScratch.NewPath("dkim-bad", ".pem");
        await File.WriteAllTextAsync(bad, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        foreach (var (file, problem) in new[] { (TestScratch.NewPath("dkim-missing", ".pem"), "cannot be read"), (bad, "is not an RSA private key") })
        {
            var e = await Assert.ThrowsAsync<Bootcamp.Operations.ConfigurationException>(async () =>
            {
                await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null,
                    "--Campaign:From=Course <course@course.example>", "--Campaign:DiscreetFrom=Daily Notes <notes@notes.example>",
                    "--Dkim:Domains:0:Domain=course.example", "--Dkim:Domains:0:Selector=c1", $"--Dkim:Domains:0:PrivateKeyFile={good}",
                    "--Dkim:Domains:1:Domain=notes.example", "--Dkim:Domains:1:Selector=n1", $"--Dkim:Domains:1:PrivateKeyFile={file}");
            });
            Assert.Equal("Dkim:Domains:1:PrivateKeyFile", e.Key);
            Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        }
    }

    private static async Task<string> KeyFileAsync(RSA key)
    {
        var file = TestScratch.NewPath("dkim", ".pem");
        await File.WriteAllTextAsync(file, key.ExportPkcs8PrivateKeyPem());
        return file;
    }

    /// <summary>The TXT records at {selector}._domainkey.{domain}, as a receiving server would look them up.</summary>
    private sealed class PublishedKey(params (string Domain, string Selector, RSA Key)[] records) : IDkimPublicKeyLocator
    {
        public PublishedKey(RSA key) : this(("localhost", "bootcamp1", key))
        {
        }

        public AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            records.FirstOrDefault(r => (r.Domain, r.Selector) == (domain, selector)) is { Key: { } key }
                ? PublicKeyFactory.CreateKey(key.ExportSubjectPublicKeyInfo())
                : throw new InvalidOperationException($"no record at {selector}._domainkey.{domain}");

        public Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
