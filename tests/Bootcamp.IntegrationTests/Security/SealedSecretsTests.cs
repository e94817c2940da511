using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Bootcamp.Courses;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bootcamp.IntegrationTests.Security;

/// <summary>
/// With DataProtection:CertificatePath set, the link-token and address-hash keys in the <c>secrets</c> table are
/// sealed with the certificate: a stolen copy of the rows opens no lesson or <c>/m/</c> link and reproduces no
/// suppression hash, while the service itself keeps opening its links and matching its suppressions across restarts,
/// and a database whose rows were stored plain is sealed on the next start without breaking a link already sent.
/// </summary>
public sealed class SealedSecretsTests
{
    private const string Password = "correct horse";
    private const string Suppressed = "gone@example.org";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task With_a_certificate_the_stored_secrets_open_no_link_and_match_no_suppression_and_the_service_still_does_after_a_restart(string provider)
    {
        var settings = await CertificateSettingsAsync();
        await using var sink = await SmtpSink.StartAsync();
        var storage = await TestStorage.CreateAsync(provider);
        string managePath;
        await using (var first = await TestHost.StartAsync(storage, sink.Port, settings))
        {
            managePath = await JoinAndSuppressAsync(first, sink);
            var live = first.Services.GetRequiredService<AppSecrets>();
            await AssertRowsAreSealedAsync(first, live, managePath);
        }

        await using var second = await TestHost.StartAsync(storage, sink.Port, settings);
        await AssertLinkOpensAndSuppressionHoldsAsync(second, sink, managePath);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Plain_rows_from_before_the_certificate_are_sealed_on_the_next_start_and_links_already_sent_still_open(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        var storage = await TestStorage.CreateAsync(provider);
        string managePath;
        byte[] plainLinkKey;
        await using (var before = await TestHost.StartAsync(storage, sink.Port))
        {
            managePath = await JoinAndSuppressAsync(before, sink);
            var rows = await before.QueryAsync(db => db.Secrets.AsNoTracking().ToListAsync());
            // The database from before: the rows are the keys themselves, and one opens the link.
            plainLinkKey = rows.Single(r => r.Name == "link-token").Value;
            Assert.True(Opens(plainLinkKey, 1, managePath));
        }

        var settings = await CertificateSettingsAsync();
        // Several processes of a PostgreSQL deployment start together on the plain rows: each seals, one write wins,
        // and every process holds the same key.
        var processes = provider == "Postgres" ? 3 : 1;
        string[] args = [$"--contentRoot={RepositoryRoot.Path}", "--Admin:Email=", "--Admin:Password=", .. storage.Arguments(), .. settings];
        var apps = Enumerable.Range(0, processes).Select(_ => BootcampApp.Build(args)).ToList();
        try
        {
            await Task.WhenAll(apps.Select(app => Task.Run(() => app.Services.PrepareDatabaseAsync())));
            foreach (var app in apps)
            {
                Assert.Equal(plainLinkKey, app.Services.GetRequiredService<AppSecrets>().LinkTokenKey);
            }
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }

        await using var after = await TestHost.StartAsync(storage, sink.Port, settings);
        await AssertRowsAreSealedAsync(after, after.Services.GetRequiredService<AppSecrets>(), managePath);
        Assert.Equal(["address-hash:1", "link-token:1"],
            await after.QueryAsync(db => db.Secrets.OrderBy(s => s.Name).Select(s => $"{s.Name}:{s.KeyId}").ToListAsync()));
        await AssertLinkOpensAndSuppressionHoldsAsync(after, sink, managePath);
    }

    [Fact]
    public async Task Sealed_secrets_and_no_certificate_stop_start_up_naming_the_key()
    {
        var storage = await TestStorage.CreateAsync("Sqlite");
        await using (await TestHost.StartAsync(storage, null, await CertificateSettingsAsync()))
        {
        }
        var e = await Assert.ThrowsAsync<Bootcamp.Operations.ConfigurationException>(async () =>
        {
            await using var host = await TestHost.StartAsync(storage, null);
        });
        Assert.Equal("DataProtection:CertificatePath", e.Key);
    }

    private static async Task<string[]> CertificateSettingsAsync() =>
        [$"--DataProtection:CertificatePath={await KeysAtRestTests.CertificateFileAsync(Password)}", $"--DataProtection:CertificatePassword={Password}"];

    /// <summary>A reader in the course (their Day 1's manage link), and an address on the suppression list.</summary>
    private static async Task<string> JoinAndSuppressAsync(TestHost host, SmtpSink sink)
    {
        var reader = new Subscriber(host, sink, "reader@example.org");
        await reader.JoinAsync();
        var managePath = new Uri((await reader.WaitForLessonsAsync(1))[0].Message.Link("/m/")).AbsolutePath;
        await host.InScopeAsync<SuppressionList, bool>(async list => { await list.SuppressAsync(Suppressed, "complaint", CancellationToken.None); return true; });
        return managePath;
    }

    /// <summary>
    /// Each raw row, used as the key it stands for, fails: it opens no link and makes no stored suppression hash,
    /// and the key bytes appear nowhere in it. The keys the process holds do both (the check itself works).
    /// </summary>
    private static async Task AssertRowsAreSealedAsync(TestHost host, AppSecrets live, string managePath)
    {
        var rows = await host.QueryAsync(db => db.Secrets.AsNoTracking().ToListAsync());
        var suppressionHash = await host.QueryAsync(db => db.Suppressions.Select(s => s.AddressHash).SingleAsync());
        Assert.True(Opens(live.LinkTokenKeys[0].Value, live.LinkTokenKeys[0].Id, managePath));
        Assert.Equal(suppressionHash, HashUnder(live.AddressHashKeys[0].Value));

        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            var key = (row.Name == "link-token" ? live.LinkTokenKeys : live.AddressHashKeys).Single(k => k.Id == row.KeyId).Value;
            Assert.True(row.Value.AsSpan().IndexOf(key) < 0, $"{row.Name}:{row.KeyId} holds its key's bytes");
            if (row.Name == "link-token")
            {
                Assert.False(Opens(row.Value, row.KeyId, managePath), "the stored link-token row opens a reader's link");
            }
            else
            {
                Assert.NotEqual(suppressionHash, HashUnder(row.Value));
            }
        }
    }

    private static async Task AssertLinkOpensAndSuppressionHoldsAsync(TestHost host, SmtpSink sink, string managePath)
    {
        using (var page = await host.Http.GetAsync(managePath))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        using (var signup = await host.Http.PostAsJsonAsync("/api/enrollments", new { email = Suppressed, timeZone = "Europe/Paris" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
        }
        await host.WaitUntilJobsAreDoneAsync();
        Assert.Empty(sink.Messages.To(Suppressed));
        // A new reader's links, sealed after the restart, open too.
        var late = new Subscriber(host, sink, "late@example.org");
        await late.JoinAsync();
        var lateManage = new Uri((await late.WaitForLessonsAsync(1))[0].Message.Link("/m/")).AbsolutePath;
        using var latePage = await host.Http.GetAsync(lateManage);
        Assert.Equal(HttpStatusCode.OK, latePage.StatusCode);
    }

    /// <summary>Whether <paramref name="key"/>, as link-token key <paramref name="keyId"/>, opens the manage link's token.</summary>
    private static bool Opens(byte[] key, int keyId, string managePath)
    {
        var token = Base64Url.DecodeFromChars(managePath.AsSpan(managePath.LastIndexOf('/') + 1));
        var tokens = new SealedLinkTokens(new AppSecrets { LinkTokenKeys = [new SecretKey(keyId, key)] });
        var payload = new byte[LinkTokens.PayloadLength];
        try
        {
            return tokens.TryOpen(TokenPurpose.Manage, token, payload);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // Not even usable as an AES-256 key.
            return false;
        }
    }

    /// <summary>The suppression hash of the suppressed address under <paramref name="key"/>.</summary>
    private static string HashUnder(byte[] key) =>
        new AddressHasher(new AppSecrets { AddressHashKeys = [new SecretKey(1, key)] }).Hash(Suppressed);
}
