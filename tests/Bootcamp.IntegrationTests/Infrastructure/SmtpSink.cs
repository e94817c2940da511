using System.Net;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServerHost = SmtpServer.SmtpServer;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server on loopback that keeps what it accepts and can be told to refuse.
/// Public because test fixtures, which xUnit needs public, hand it to tests.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly NoDelayListenerFactory listeners = new();
    private readonly SmtpSinkRules rules = new();
    private readonly ReceivedMailLog log = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly SmtpServerHost server;
    private Task running = Task.CompletedTask;
    private int connectionCount;
    private int disposed;

    private SmtpSink(X509Certificate2? certificate, bool tlsOnConnect)
    {
        var services = new ServiceProvider();
        services.Add(listeners);
        services.Add(new SmtpSinkMailboxFilter(rules));
        services.Add(new SmtpSinkMessageStore(rules, log));
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            // Port 0: the operating system picks a free port, which the listener factory reports.
            // SessionTimeout defaults to 2 minutes for the whole connection, idle or not: too short for a pooled client.
            .Endpoint(endpoint =>
            {
                endpoint
                    .Endpoint(new IPEndPoint(IPAddress.Loopback, 0))
                    .SessionTimeout(Timeout.InfiniteTimeSpan);
                if (certificate is not null)
                {
                    // With a certificate the sink offers STARTTLS, or speaks TLS from the first byte.
                    endpoint.Certificate(certificate).IsSecure(tlsOnConnect);
                }
            })
            // Each refused command counts against this until a command succeeds; 5 by default.
            .MaxRetryCount(20)
            .Build();
        server = new SmtpServerHost(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref connectionCount);
    }

    /// <summary>The loopback (127.0.0.1) port the sink listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Connections accepted since start or the last <see cref="Reset"/>.</summary>
    public int ConnectionCount => Volatile.Read(ref connectionCount);

    /// <summary>The accepted messages so far, in arrival order; a snapshot that later arrivals do not change.</summary>
    public IReadOnlyList<ReceivedMail> Messages => log.Snapshot();

    /// <summary>Starts a plain sink, or with <paramref name="certificate"/> one that offers STARTTLS (or is TLS on connect).</summary>
    public static async Task<SmtpSink> StartAsync(X509Certificate2? certificate = null, bool tlsOnConnect = false)
    {
        var sink = new SmtpSink(certificate, tlsOnConnect);
        await sink.ListenAsync();
        return sink;
    }

    /// <summary>
    /// Answers every RCPT TO for this address with the given reply, e.g. 550 "5.1.1" "No such user",
    /// until <see cref="Reset"/>. SmtpServer appends ", N retry(ies) remaining." to the text.
    /// </summary>
    public void RejectRecipient(string address, int code, string enhanced, string text) =>
        rules.Reject(address, code, enhanced, text);

    /// <summary>
    /// Answers the end of DATA (after the message content is sent) of the next <paramref name="times"/>
    /// messages to this address with the given reply instead of 250; those messages are not kept.
    /// </summary>
    public void FailNext(string address, int times, int code = 451, string enhanced = "4.3.0",
        string text = "Temporary failure, try again later") =>
        rules.FailNext(address, times, code, enhanced, text);

    /// <summary>
    /// Answers every message with the given reply (at MAIL FROM, so nothing is accepted) until <see cref="AcceptAgain"/>:
    /// a server that is overloaded or shutting down, e.g. 421 "4.3.2" "Service not available".
    /// </summary>
    public void RefuseEverything(int code = 421, string enhanced = "4.3.2", string text = "Service not available, closing transmission channel") =>
        rules.RefuseEverything(code, enhanced, text);

    public void AcceptAgain() => rules.AcceptAgain();

    /// <summary>Forgets the messages, the rules and the connection count.</summary>
    public void Reset()
    {
        rules.Clear();
        log.Clear();
        Interlocked.Exchange(ref connectionCount, 0);
    }

    /// <summary>
    /// Returns the messages as soon as <paramref name="condition"/> holds for them; it is checked now and
    /// after each arrival. Throws <see cref="TimeoutException"/>, listing what did arrive, when it never does.
    /// </summary>
    public Task<IReadOnlyList<ReceivedMail>> WaitForAsync(
        Func<IReadOnlyList<ReceivedMail>, bool> condition, TimeSpan timeout) =>
        log.WaitForAsync(condition, timeout);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        server.Shutdown();
        await stopping.CancelAsync();
        await running.WaitAsync(ShutdownTimeout);
        stopping.Dispose();
    }

    private async Task ListenAsync()
    {
        running = server.StartAsync(stopping.Token);
        // A failure to bind ends StartAsync before it listens: surface it instead of waiting forever.
        await Task.WhenAny(listeners.Listening, running);
        if (!listeners.Listening.IsCompleted)
        {
            await running;
            throw new InvalidOperationException("The SMTP server stopped before it started listening.");
        }

        Port = await listeners.Listening;
    }
}
