using SmtpServer.Protocol;

namespace Bootcamp.IntegrationTests.Infrastructure;

// The failures a test asked SmtpSink to answer, per recipient address.
internal sealed class SmtpSinkRules
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SmtpResponse> rejections = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (int Remaining, SmtpResponse Response)> transientFailures = new(StringComparer.OrdinalIgnoreCase);
    private volatile SmtpResponse? everything;

    /// <summary>The reply to every MAIL FROM while the whole server refuses, as an overloaded or closing server does; else null.</summary>
    public SmtpResponse? Everything => everything;

    public void RefuseEverything(int code, string enhanced, string text) => everything = Reply(code, enhanced, text);

    public void AcceptAgain() => everything = null;

    public void Reject(string address, int code, string enhanced, string text)
    {
        var response = Reply(code, enhanced, text);
        lock (gate)
        {
            rejections[address] = response;
        }
    }

    public void FailNext(string address, int times, int code, string enhanced, string text)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        var response = Reply(code, enhanced, text);
        lock (gate)
        {
            transientFailures[address] = (times, response);
        }
    }

    public SmtpResponse? RejectionFor(string address)
    {
        lock (gate)
        {
            return rejections.GetValueOrDefault(address);
        }
    }

    // Uses up one failure of every recipient that has one left and returns the first one's reply:
    // the whole message fails, as at the end of DATA on a real server.
    public SmtpResponse? TakeTransientFailure(IReadOnlyList<string> recipients)
    {
        SmtpResponse? reply = null;
        lock (gate)
        {
            foreach (var recipient in recipients)
            {
                if (!transientFailures.TryGetValue(recipient, out var failure))
                {
                    continue;
                }

                reply ??= failure.Response;
                if (failure.Remaining == 1)
                {
                    transientFailures.Remove(recipient);
                }
                else
                {
                    transientFailures[recipient] = failure with { Remaining = failure.Remaining - 1 };
                }
            }
        }

        return reply;
    }

    public void Clear()
    {
        lock (gate)
        {
            rejections.Clear();
            transientFailures.Clear();
            everything = null;
        }
    }

    // SmtpReplyCode is an int enum: any three-digit code can be written, named or not.
    private static SmtpResponse Reply(int code, string enhanced, string text)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 599);
        return new SmtpResponse((SmtpReplyCode)code, string.IsNullOrEmpty(enhanced) ? text : $"{enhanced} {text}");
    }
}
