using System.Text.RegularExpressions;
using Bootcamp.Delivery;
using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bootcamp.UnitTests.Delivery;

/// <summary>The lesson as the subscriber's mail program sees it: headers, parts and links.</summary>
public sealed class LessonMessageTests : IAsyncLifetime
{
    private DeliveryRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DeliveryRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task The_message_id_is_the_same_when_the_same_lesson_is_composed_twice()
    {
        var lesson = Lesson(enrollmentId: 42, day: 3);

        var first = await _rig.Composer().ComposeAsync(lesson);
        _rig.Time.Advance(TimeSpan.FromHours(5));
        var second = await _rig.Composer().ComposeAsync(lesson);

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(first.Message.MessageId, second.Message.MessageId);
    }

    [Fact]
    public async Task The_message_id_survives_a_restart_because_it_comes_from_the_shared_secret()
    {
        var lesson = Lesson(enrollmentId: 42, day: 3);
        var before = await _rig.Composer().ComposeAsync(lesson);

        var restarted = new MessageFactory(_rig.Campaign.Senders, new AppSecrets { AddressHashKey = [.. _rig.Secrets.AddressHashKey] }, _rig.Time);

        Assert.Equal(before.MessageId, restarted.LessonMessageId(42, 3, discreet: false));
    }

    [Fact]
    public void Each_lesson_of_each_enrollment_has_its_own_message_id()
    {
        var messages = _rig.Messages();

        string[] ids = [messages.LessonMessageId(42, 1, false), messages.LessonMessageId(42, 2, false), messages.LessonMessageId(43, 1, false)];

        Assert.Equal(3, ids.Distinct().Count());
    }

    [Fact]
    public void The_message_id_is_under_the_senders_domain_and_does_not_show_the_enrollment()
    {
        _rig.Campaign.From = "Bootcamp <bootcamp@mail.example.org>";

        var id = _rig.Messages().LessonMessageId(123456789, 4, discreet: false);

        Assert.Matches("^[0-9a-f]{32}@mail\\.example\\.org$", id);
        Assert.DoesNotContain("123456789", id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lesson_carries_the_contracts_headers()
    {
        var composed = await _rig.Composer().ComposeAsync(Lesson(enrollmentId: 42, day: 3));
        var message = composed.Message.ToMimeMessage();

        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal(("Surviving Infidelity Bootcamp", "bootcamp@localhost"), (from.Name, from.Address));
        Assert.Equal("reader@example.org", message.To.Mailboxes.Single().Address);
        Assert.Equal(DeliveryRig.Start, message.Date);
        Assert.Equal("Surviving Infidelity Bootcamp <bootcamp.localhost>", message.Headers[HeaderId.ListId]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var unsubscribe = Assert.IsType<string>(message.Headers["List-Unsubscribe"]);
        Assert.StartsWith("<https://bootcamp.example.org/u/", unsubscribe, StringComparison.Ordinal);
        Assert.True(_rig.Tokens.TryRead(TokenPurpose.Unsubscribe, unsubscribe[32..^1], out var enrollmentId, out _));
        Assert.Equal(42, enrollmentId);
    }

    [Fact]
    public async Task A_lesson_has_a_text_and_an_html_part()
    {
        var message = (await _rig.Composer().ComposeAsync(Lesson(enrollmentId: 42, day: 3))).Message.ToMimeMessage();

        var body = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], body.Select(p => p.ContentType.MimeType));
        Assert.Contains("Day 3", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p>Day 3</p>", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_discreet_lesson_comes_from_the_discreet_sender_with_a_neutral_list_id()
    {
        var message = (await _rig.Composer().ComposeAsync(Lesson(enrollmentId: 42, day: 3, discreet: true))).Message.ToMimeMessage();

        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal(("Daily Notes", "notes@localhost"), (from.Name, from.Address));
        var listId = Assert.IsType<string>(message.Headers[HeaderId.ListId]);
        Assert.DoesNotContain("Infidelity", listId, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("bootcamp", listId, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("@localhost", message.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_links_point_at_the_tracker_with_the_lesson_and_the_link_index()
    {
        var composed = await _rig.Composer().ComposeAsync(Lesson(enrollmentId: 42, day: 3, lessonId: 77));

        Assert.Equal(["https://988lifeline.org/"], composed.Links);
        var tracked = Regex.Match(composed.Message.ToMimeMessage().HtmlBody ?? string.Empty, "href=\"https://bootcamp\\.example\\.org/t/c/([A-Za-z0-9_-]+)\"");
        Assert.True(tracked.Success, composed.Message.ToMimeMessage().HtmlBody);
        Assert.True(_rig.Tokens.TryRead(TokenPurpose.Click, tracked.Groups[1].Value, out var lessonId, out var index));
        Assert.Equal((77, 0), (lessonId, index));
        Assert.DoesNotContain("988lifeline", composed.Message.ToMimeMessage().HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pixel_and_done_links_open_under_their_own_purposes()
    {
        await _rig.Composer().ComposeAsync(Lesson(enrollmentId: 42, day: 3, lessonId: 77));

        var seen = _rig.LastLessonModel();
        Assert.True(_rig.Tokens.TryRead(TokenPurpose.Open, seen.PixelUrl!["https://bootcamp.example.org/t/o/".Length..], out var opened, out _, out var builtAt));
        Assert.Equal(DeliveryRig.Start, builtAt);
        Assert.True(_rig.Tokens.TryRead(TokenPurpose.Done, seen.DoneUrl["https://bootcamp.example.org/d/".Length..], out var done, out _));
        Assert.Equal((77, 77), (opened, done));
    }

    [Fact]
    public async Task A_reader_who_opted_out_of_tracking_gets_no_pixel_and_plain_links()
    {
        var composed = await _rig.Composer().ComposeAsync(Lesson(enrollmentId: 42, day: 3) with { NoTracking = true });

        var seen = _rig.LastLessonModel();
        Assert.Null(seen.PixelUrl);
        Assert.Equal("https://988lifeline.org/", seen.Link("https://988lifeline.org/"));
        Assert.DoesNotContain("/t/c/", composed.Message.ToMimeMessage().HtmlBody, StringComparison.Ordinal);
    }

    private static LessonToSend Lesson(long enrollmentId, int day, bool discreet = false, long lessonId = 1000) =>
        new(lessonId, day, Attempts: 0, enrollmentId, "reader@example.org", "Ann", "Europe/Paris", discreet, NoTracking: false);
}
