using Bootcamp.Courses;
using Bootcamp.Persistence;
using Bootcamp.UnitTests.Courses;
using Bootcamp.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.UnitTests.Webhooks;

/// <summary>Webhook deliveries in the record, on both providers: planned once, claimed in order per enrollment, pruned when old.</summary>
public sealed class WebhookStoreTests
{
    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    private const string Endpoint = "https://hooks.example.org/in";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Events_are_planned_once_and_each_enrollment_gets_its_next_only_after_the_one_before(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        // A new endpoint hears what happens from now on.
        Assert.Equal(0, await FanOutAsync(rig));
        var ann = await rig.SeedPendingAsync("ann@example.org");
        var bob = await rig.SeedPendingAsync("bob@example.org");
        await rig.RecordAsync(r => r.ConfirmAsync(ann, CancellationToken.None));
        await rig.RecordAsync(r => r.ConfirmAsync(bob, CancellationToken.None));
        await rig.RecordAsync(r => r.PauseAsync(ann, 3, CancellationToken.None));

        var planned = await FanOutAsync(rig);
        var plannedAgain = await FanOutAsync(rig);
        var first = await DescribeAsync(rig, await ClaimAsync(rig));
        var nothingWhileClaimed = await ClaimAsync(rig);
        await using (var db = rig.Db())
        {
            foreach (var id in await db.WebhookDeliveries.Where(d => d.State == WebhookState.Claimed).Select(d => d.Id).ToListAsync())
            {
                await new WebhookStore(db, TestOwner.Instance).MarkDeliveredAsync(id, rig.Now, CancellationToken.None);
            }
        }
        var second = await DescribeAsync(rig, await ClaimAsync(rig));

        Assert.Equal((3, 0), (planned, plannedAgain));
        Assert.Equal(["enrollment.confirmed:ann", "enrollment.confirmed:bob"], first);
        Assert.Empty(nothingWhileClaimed);
        Assert.Equal(["enrollment.paused:ann"], second);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Old_finished_deliveries_and_old_events_every_endpoint_has_passed_are_forgotten(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        await FanOutAsync(rig);
        var ann = await rig.SeedPendingAsync("ann@example.org");
        await rig.RecordAsync(r => r.ConfirmAsync(ann, CancellationToken.None));
        await FanOutAsync(rig);
        foreach (var id in await ClaimAsync(rig))
        {
            await using var db = rig.Db();
            await new WebhookStore(db, TestOwner.Instance).MarkDeliveredAsync(id, rig.Now, CancellationToken.None);
        }
        // An event after the endpoint's cursor: not planned yet, so kept however old.
        await rig.RecordAsync(r => r.PauseAsync(ann, 3, CancellationToken.None));
        rig.Time.Advance(WebhookStore.KeptFor + TimeSpan.FromDays(1));

        await using var check = rig.Db();
        var pruned = await new WebhookStore(check, TestOwner.Instance).PruneAsync(rig.Now, [Endpoint], CancellationToken.None);

        Assert.Equal(2, pruned);
        Assert.Equal(["enrollment.paused"], await check.Outbox.Select(e => e.Type).ToListAsync());
        Assert.False(await check.WebhookDeliveries.AnyAsync());
    }

    private static async Task<int> FanOutAsync(RecordRig rig)
    {
        await using var db = rig.Db();
        var store = new WebhookStore(db, TestOwner.Instance);
        return await store.FanOutAsync(Endpoint, CourseEvents.All, await store.SafeHorizonAsync(CancellationToken.None), rig.Now, CancellationToken.None);
    }

    private static async Task<long[]> ClaimAsync(RecordRig rig)
    {
        await using var db = rig.Db();
        return await new WebhookStore(db, TestOwner.Instance).ClaimDueAsync(rig.Now, rig.Now.AddMinutes(-5), 50, CancellationToken.None);
    }

    private static async Task<List<string>> DescribeAsync(RecordRig rig, long[] ids)
    {
        await using var db = rig.Db();
        var sent = await new WebhookStore(db, TestOwner.Instance).LoadClaimedAsync(ids, CancellationToken.None);
        var emails = await db.Enrollments.ToDictionaryAsync(e => e.Id, e => e.Email[..3]);
        return [.. sent.Select(s => $"{s.Type}:{emails[s.EnrollmentId]}")];
    }
}
