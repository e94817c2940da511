using Bootcamp.Bounces;
using Bootcamp.Lessons;
using Bootcamp.UnitTests.Delivery;
using Microsoft.Extensions.Options;

namespace Bootcamp.UnitTests.Bounces;

public sealed class LessonReturnPathTests
{
    private static readonly LessonToSend Lesson = new(4711, 2, 0, 42, "ann@example.org", "Ann", "Europe/Paris", false, false);

    [Fact]
    public async Task With_a_template_a_lesson_carries_its_own_return_path_as_envelope_sender()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var returnPaths = new ReturnPaths(Options.Create(new BounceOptions { ReturnPathTemplate = "bounces+{id}@example.org" }), rig.Secrets);
        var composer = new LessonComposer(rig.Renderer, rig.Messages(), rig.Tokens, Options.Create(rig.Campaign), rig.Time, returnPaths);

        var composed = await composer.ComposeAsync(Lesson);

        Assert.NotNull(composed.EnvelopeSender);
        Assert.Equal(ReturnPathMatch.Valid, returnPaths.Codec!.Read(composed.EnvelopeSender.Address, out var lessonId));
        Assert.Equal(4711, lessonId);
        // The visible headers stay as they were: the return path is the envelope's business.
        var message = composed.Message.ToMimeMessage();
        Assert.Equal(rig.Campaign.FromAddress.Address, message.From.Mailboxes.Single().Address);
        Assert.Null(message.Sender);
    }

    [Fact]
    public async Task Without_a_template_a_lesson_has_no_envelope_sender_of_its_own()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var returnPaths = new ReturnPaths(Options.Create(new BounceOptions()), rig.Secrets);
        var composer = new LessonComposer(rig.Renderer, rig.Messages(), rig.Tokens, Options.Create(rig.Campaign), rig.Time, returnPaths);

        Assert.Null((await composer.ComposeAsync(Lesson)).EnvelopeSender);
        Assert.Null(returnPaths.Codec);
    }
}
