using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Enrollment;
using Bootcamp.UnitTests.Delivery;

namespace Bootcamp.UnitTests.Enrollment;

public sealed class SignupProbeTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DeliveryRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_new_address_is_neither_suppressed_nor_enrolled()
    {
        var probe = await ProbeAsync("new@example.org");

        Assert.Equal(new SignupProbe(false, null, null, null), probe);
    }

    [Fact]
    public async Task The_latest_enrollment_of_the_address_is_the_one_reported()
    {
        await _rig.SeedAsync(new EnrollmentBuilder().For("ann@example.org").WithStatus(EnrollmentStatus.Finished));
        var latest = await _rig.SeedPendingAsync("ann@example.org");

        var probe = await ProbeAsync("ann@example.org");

        Assert.Equal((false, latest, "Pending"), (probe.Suppressed, probe.Id, probe.Status));
        Assert.Equal(_rig.Now.AddMinutes(-1), probe.ConfirmationRequestedAt);
    }

    [Fact]
    public async Task A_suppressed_address_is_reported_as_suppressed()
    {
        await using (var db = _rig.Db())
        {
            await new SuppressionList(db, _rig.Hasher(), _rig.Time).SuppressAsync("gone@example.org", "complaint", CancellationToken.None);
        }

        Assert.True((await ProbeAsync("Gone@Example.org")).Suppressed);
    }

    private async Task<SignupProbe> ProbeAsync(string email)
    {
        await using var db = _rig.Db();
        return await SignupProbe.ReadAsync(db, _rig.Hasher().Hashes(email), EmailAddress.Key(email), CancellationToken.None);
    }
}
