using System.Net;
using System.Net.Http.Json;
using Bootcamp.Courses;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Security;

/// <summary>
/// The link-token and address-hash keys can be rotated (Keys:*KeyId): new links are sealed with the new key,
/// links already in inboxes keep opening, and an address suppressed before the rotation stays suppressed.
/// </summary>
public sealed class KeyRotationTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task After_a_rotation_old_links_open_new_links_use_the_new_key_and_suppressions_still_hold(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        var storage = await TestStorage.CreateAsync(provider);
        string oldManagePath;
        await using (var before = await TestHost.StartAsync(storage, sink.Port))
        {
            var early = new Subscriber(before, sink, "early@example.org");
            await early.JoinAsync();
            oldManagePath = new Uri((await early.WaitForLessonsAsync(1))[0].Message.Link("/m/")).AbsolutePath;
            await before.InScopeAsync<SuppressionList, bool>(async list => { await list.SuppressAsync("gone@example.org", "complaint", CancellationToken.None); return true; });
        }

        await using var after = await TestHost.StartAsync(storage, sink.Port, "--Keys:LinkTokenKeyId=2", "--Keys:AddressHashKeyId=2");

        // The link sealed before the rotation still opens the reader's page.
        using (var old = await after.Http.GetAsync(oldManagePath))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        }
        // A new reader's links are sealed with key 2 (a token names its key in its second byte) and open too.
        var late = new Subscriber(after, sink, "late@example.org");
        await late.JoinAsync();
        var newManagePath = new Uri((await late.WaitForLessonsAsync(1))[0].Message.Link("/m/")).AbsolutePath;
        Assert.Equal((2, 1), KeyOf(oldManagePath));
        Assert.Equal((2, 2), KeyOf(newManagePath));
        using (var fresh = await after.Http.GetAsync(newManagePath))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // Suppressed under the first hashing key: still nothing is sent after the rotation.
        using (var signup = await after.Http.PostAsJsonAsync("/api/enrollments", new { email = "gone@example.org", timeZone = "Europe/Paris" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
        }
        await after.WaitUntilJobsAreDoneAsync();
        Assert.Empty(sink.Messages.To("gone@example.org"));

        var generations = await after.QueryAsync(db => db.Secrets.OrderBy(s => s.Name).ThenBy(s => s.KeyId).Select(s => $"{s.Name}:{s.KeyId}").ToListAsync());
        Assert.Equal(["address-hash:1", "address-hash:2", "link-token:1", "link-token:2"], generations);
    }

    [Fact]
    public async Task A_key_id_that_is_not_a_number_stops_start_up_naming_the_key()
    {
        var e = await Assert.ThrowsAsync<Bootcamp.Operations.ConfigurationException>(async () =>
        {
            await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null, "--Keys:LinkTokenKeyId=next");
        });
        Assert.Equal("Keys:LinkTokenKeyId", e.Key);
    }

    /// <summary>The token's format version and the id of the key it was sealed with.</summary>
    private static (int Version, int KeyId) KeyOf(string path)
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(path.AsSpan(path.LastIndexOf('/') + 1));
        return (bytes[0], bytes[1]);
    }
}
