using Bootcamp.IntegrationTests.Infrastructure;
using MailKit.Net.Smtp;
using MimeKit;

namespace Bootcamp.IntegrationTests.InfrastructureSelfTests;

public sealed class SmtpSinkTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private SmtpSink sink = null!;

    public async Task InitializeAsync() => sink = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await sink.DisposeAsync();

    [Fact]
    public async Task A_message_sent_with_MailKit_arrives_with_its_subject_and_envelope()
    {
        using var client = await LoopbackSmtpClient.ConnectAsync(sink.Port);
        await client.SendAsync(Mail("ada@example.test", "Day 1: welcome"));

        var messages = await sink.WaitForAsync(m => m.Count == 1, Patience);

        var received = Assert.Single(messages);
        Assert.Equal("Day 1: welcome", received.Message.Subject);
        Assert.Equal(["ada@example.test"], received.Recipients);
        Assert.Equal("bootcamp@example.test", received.Sender);
        Assert.Equal(1, sink.ConnectionCount);
    }

    [Fact]
    public async Task A_rejected_recipient_gets_550_at_RCPT_and_the_connection_stays_usable()
    {
        sink.RejectRecipient("gone@example.test", 550, "5.1.1", "No such user");
        using var client = await LoopbackSmtpClient.ConnectAsync(sink.Port);

        var rejected = await Assert.ThrowsAsync<SmtpCommandException>(
            () => client.SendAsync(Mail("GONE@example.test", "Day 2")));
        await client.SendAsync(Mail("ada@example.test", "Day 2"));

        Assert.Equal(550, (int)rejected.StatusCode);
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, rejected.ErrorCode);
        Assert.StartsWith("5.1.1 No such user", rejected.Message);
        var messages = await sink.WaitForAsync(m => m.Count == 1, Patience);
        Assert.Equal(["ada@example.test"], Assert.Single(messages).Recipients);
    }

    [Fact]
    public async Task FailNext_answers_451_at_the_end_of_DATA_twice_then_accepts()
    {
        sink.FailNext("ada@example.test", times: 2);
        using var client = await LoopbackSmtpClient.ConnectAsync(sink.Port);

        var first = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Mail("ada@example.test", "try 1")));
        var second = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Mail("ada@example.test", "try 2")));
        await client.SendAsync(Mail("ada@example.test", "try 3"));

        Assert.All([first, second], e => Assert.Equal(451, (int)e.StatusCode));
        Assert.All([first, second], e => Assert.Equal(SmtpErrorCode.MessageNotAccepted, e.ErrorCode));
        Assert.StartsWith("4.3.0 ", first.Message);
        var messages = await sink.WaitForAsync(m => m.Count == 1, Patience);
        Assert.Equal("try 3", Assert.Single(messages).Message.Subject);
    }

    [Fact]
    public async Task WaitForAsync_times_out_with_a_list_of_what_did_arrive()
    {
        using var client = await LoopbackSmtpClient.ConnectAsync(sink.Port);
        await client.SendAsync(Mail("ada@example.test", "Day 3"));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(
            () => sink.WaitForAsync(m => m.Count == 2, TimeSpan.FromMilliseconds(300)));

        Assert.Contains("1 message(s) arrived", timeout.Message);
        Assert.Contains("to ada@example.test \"Day 3\"", timeout.Message);
    }

    [Fact]
    public async Task WaitForAsync_returns_when_a_later_message_arrives()
    {
        var waiting = sink.WaitForAsync(m => m.Any(r => r.Message.Subject == "late"), Patience);
        Assert.False(waiting.IsCompleted);

        using var client = await LoopbackSmtpClient.ConnectAsync(sink.Port);
        await client.SendAsync(Mail("ada@example.test", "early"));
        await client.SendAsync(Mail("ada@example.test", "late"));

        Assert.Equal(2, (await waiting).Count);
    }

    [Fact]
    public async Task Reset_forgets_messages_rules_and_connections()
    {
        sink.RejectRecipient("gone@example.test", 550, "5.1.1", "No such user");
        using (var client = await LoopbackSmtpClient.ConnectAsync(sink.Port))
        {
            await client.SendAsync(Mail("ada@example.test", "before"));
        }

        var before = sink.Messages;
        sink.Reset();

        Assert.Single(before);
        Assert.Empty(sink.Messages);
        Assert.Equal(0, sink.ConnectionCount);
        using var again = await LoopbackSmtpClient.ConnectAsync(sink.Port);
        await again.SendAsync(Mail("gone@example.test", "after"));
        await sink.WaitForAsync(m => m.Count == 1, Patience);
    }

    [Fact]
    public async Task Concurrent_connections_all_deliver_and_are_counted()
    {
        const int connections = 16;
        const int messagesEach = 25;

        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            using var client = await LoopbackSmtpClient.ConnectAsync(sink.Port);
            for (var m = 0; m < messagesEach; m++)
            {
                await client.SendAsync(Mail($"user{c}@example.test", $"{c}/{m}"));
            }

            await client.DisconnectAsync(quit: true);
        }));

        var messages = await sink.WaitForAsync(m => m.Count == connections * messagesEach, Patience);
        Assert.Equal(connections * messagesEach, messages.Select(m => m.Message.Subject).Distinct().Count());
        Assert.Equal(connections, sink.ConnectionCount);
    }

    [Fact]
    public async Task One_connection_is_not_held_back_by_delayed_acknowledgements()
    {
        using var client = await LoopbackSmtpClient.ConnectAsync(sink.Port);
        await client.SendAsync(Mail("ada@example.test", "warm-up"));

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            await client.SendAsync(Mail("ada@example.test", $"{i}"));
        }

        // With Nagle's algorithm on either side each message waits ~40 ms: 200 would take 8 s.
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Each_message_names_the_client_port_it_came_from()
    {
        // Two connections of our own, so that each sending port is known (the burst benchmark tells processes apart by it).
        var ports = new List<int>();
        foreach (var subject in (string[])["from the first", "from the second"])
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, sink.Port);
            ports.Add(((System.Net.IPEndPoint)socket.LocalEndPoint!).Port);
            using var client = new SmtpClient();
            await client.ConnectAsync(socket, "127.0.0.1", sink.Port, MailKit.Security.SecureSocketOptions.None);
            await client.SendAsync(Mail("ada@example.test", subject));
            await client.DisconnectAsync(quit: true);
        }

        var messages = await sink.WaitForAsync(m => m.Count == 2, Patience);

        Assert.NotEqual(ports[0], ports[1]);
        Assert.Equal(ports[0], messages.Single(m => m.Message.Subject == "from the first").ClientPort);
        Assert.Equal(ports[1], messages.Single(m => m.Message.Subject == "from the second").ClientPort);
    }

    private static MimeMessage Mail(string to, string subject) => new()
    {
        From = { MailboxAddress.Parse("bootcamp@example.test") },
        To = { MailboxAddress.Parse(to) },
        Subject = subject,
        Body = new TextPart("plain") { Text = $"Body of {subject}" },
    };
}
