using Xunit.Abstractions;

namespace Bootcamp.IntegrationTests.Faults;

/// <summary>The mail server answers 421 to every message for a minute in the middle of a burst, then accepts again.</summary>
[Collection(ChaosRig.Collection)]
public sealed class SmtpRefusalDuringBurstTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Refusing = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_a_minute_of_421_mid_burst_every_reader_gets_each_lesson_once_in_order_within_a_minute()
    {
        await using var rig = await ChaosRig.StartAsync(await Infrastructure.PostgresServer.CreateDatabaseAsync("chaos_smtp"), output);
        await rig.StartHostAsync();
        await rig.SeedAsync();

        await rig.WaitForLessonsAsync(ChaosRig.Lessons / 3);
        var refused = DateTimeOffset.UtcNow;
        rig.Sink.RefuseEverything(421, "4.3.2", "Service not available");
        // The refusal's length is the scenario, not a wait for something to happen.
        await Task.Delay(Refusing);
        rig.Sink.AcceptAgain();
        rig.FaultEnded("SMTP answering 421", refused);

        await rig.AssertEveryLessonOnceInOrderAndOnTimeAsync();
    }
}
