using System.Security.Cryptography;
using Bootcamp.Delivery;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Bootcamp.UnitTests.Delivery;

/// <summary>With a DKIM key configured, every message is signed, and a receiving server can verify it.</summary>
public sealed class DkimSigningTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public void Dispose() => _key.Dispose();

    private MessageSigner Signer(string? selector = "mail2026") =>
        new(new DkimOptions { Selector = selector, PrivateKey = _key.ExportPkcs8PrivateKeyPem() }, "example.org", contentRoot: "/");

    private MessageFactory Factory() => new(
        new CampaignOptions { PublicBaseUrl = "https://bootcamp.example.org", From = "Surviving Infidelity Bootcamp <bootcamp@example.org>" }.Senders,
        new AppSecrets { AddressHashKey = new byte[32], LinkTokenKey = new byte[32] },
        new FakeTimeProvider(new DateTimeOffset(2026, 6, 10, 6, 0, 0, TimeSpan.Zero)),
        Signer());

    private OutgoingMessage Lesson() => Factory().Build("reader@example.net", discreet: false,
        new RenderedEmail("Day 2 \u2014 of 7", "preheader", "<p>Caf\u00e9</p>\n.\n<p>" + new string('x', 200) + "</p>", "Caf\u00e9\n.\nend"),
        "id-1@example.org", "https://bootcamp.example.org/u/abc");

    [Fact]
    public async Task A_signed_lesson_verifies_and_its_signature_covers_the_unsubscribe_headers()
    {
        var message = Lesson().ToMimeMessage();
        var signature = message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)];

        Assert.Contains("d=example.org", signature.Value, StringComparison.Ordinal);
        Assert.Contains("s=mail2026", signature.Value, StringComparison.Ordinal);
        var signed = Tag(signature.Value, "h").Split(':').Select(h => h.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("list-unsubscribe", signed);
        Assert.Contains("list-unsubscribe-post", signed);
        Assert.Contains("from", signed);
        Assert.True(await new DkimVerifier(new OneKey(_key)).VerifyAsync(message, signature));
    }

    [Fact]
    public async Task The_signature_survives_the_trip_through_MailKit_and_breaks_when_the_body_changes()
    {
        var outgoing = Lesson();
        using var wire = new MemoryStream();
        new WireMessage().Carrying(outgoing).WriteTo(WireFormat.Options, wire);
        Assert.Equal(outgoing.ToBytes(), wire.ToArray());

        var received = MimeMessage.Load(new MemoryStream(wire.ToArray()));
        var signature = received.Headers[received.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.True(await new DkimVerifier(new OneKey(_key)).VerifyAsync(received, signature));

        var tampered = System.Text.Encoding.ASCII.GetString(wire.ToArray()).Replace("Caf=C3=A9", "Cafe", StringComparison.Ordinal);
        var forged = MimeMessage.Load(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(tampered)));
        Assert.False(await new DkimVerifier(new OneKey(_key)).VerifyAsync(forged, forged.Headers[forged.Headers.IndexOf(HeaderId.DkimSignature)]));
    }

    [Fact]
    public void A_key_without_a_selector_stops_start_up_naming_the_key()
    {
        var e = Assert.Throws<ConfigurationException>(() => Signer(selector: " "));
        Assert.StartsWith("Dkim:Selector:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_is_not_PEM_stops_start_up_naming_the_key()
    {
        var e = Assert.Throws<ConfigurationException>(() => new MessageSigner(new DkimOptions { Selector = "s", PrivateKey = "not a key" }, "example.org", "/"));
        Assert.StartsWith("Dkim:PrivateKey:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_file_that_cannot_be_read_stops_start_up_naming_the_key()
    {
        var e = Assert.Throws<ConfigurationException>(() => new MessageSigner(new DkimOptions { Selector = "s", PrivateKeyFile = "no/such/key.pem" }, "example.org", Path.GetTempPath()));
        Assert.StartsWith("Dkim:PrivateKeyFile:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sender_domain_without_a_key_stops_start_up_when_only_per_domain_keys_are_set()
    {
        using var key = RSA.Create(2048);
        var options = new DkimOptions { Domains = [new DkimDomainOptions { Domain = "course.example", Selector = "c1", PrivateKey = key.ExportPkcs8PrivateKeyPem() }] };

        var e = Assert.Throws<ConfigurationException>(() =>
            new MessageSigner(options, [("Campaign:From", "course.example"), ("Campaign:DiscreetFrom", "notes.example")], "/"));

        Assert.Equal("Dkim:Domains", e.Key);
        Assert.Contains("notes.example, the domain of Campaign:DiscreetFrom", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_domain_entry_without_a_domain_stops_start_up_naming_its_key()
    {
        var e = Assert.Throws<ConfigurationException>(() =>
            new MessageSigner(new DkimOptions { Domains = [new DkimDomainOptions(), new DkimDomainOptions { Selector = "s" }] }, "example.org", "/"));
        Assert.Equal("Dkim:Domains:0:Domain", e.Key);
    }

    private static string Tag(string value, string name) =>
        value.Split(';').Select(t => t.Trim()).Single(t => t.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    /// <summary>The DNS record a receiving server would look up, answered from the test's key.</summary>
    private sealed class OneKey(RSA key) : IDkimPublicKeyLocator
    {
        private readonly AsymmetricKeyParameter _public = PublicKeyFactory.CreateKey(key.ExportSubjectPublicKeyInfo());

        public AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            domain == "example.org" && selector == "mail2026" ? _public : throw new InvalidOperationException($"no key for {selector}._domainkey.{domain}");

        public Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
