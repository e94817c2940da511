using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bootcamp.Operations;

/// <summary>The service's own instruments, exported at /metrics.</summary>
public sealed class BootcampMetrics
{
    public const string MeterName = "Bootcamp";

    private readonly Counter<long> _signups;
    private readonly Counter<long> _confirmations;
    private readonly Counter<long> _sends;
    private readonly Histogram<double> _sendSeconds;

    // In seconds, from a fast local relay (under a millisecond) to a slow remote server. Without them the
    // exporter used its default buckets, which are meant for milliseconds (0, 5, 10 … 10,000): every send
    // landed in the first one.
    internal static readonly IReadOnlyList<double> SendSecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly Counter<long> _policyRejections;
    private readonly Counter<long> _unsubscribes;
    private readonly Counter<long> _bounces;

    // Written by the probes, read at each scrape; NaN until the first reading, so no scrape shows a made-up 0.
    private double _oldestDueLessonAge = double.NaN;
    private double _ready = double.NaN;

    public BootcampMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        // No label for what a sign-up caused: new, known and suppressed addresses must look the same from outside.
        _signups = meter.CreateCounter<long>("bootcamp.signups", description: "Valid sign-ups received");
        _confirmations = meter.CreateCounter<long>("bootcamp.confirmations", description: "Enrollments confirmed");
        _sends = meter.CreateCounter<long>("bootcamp.sends", description: "Emails handed to the mail server, by outcome");
        _sendSeconds = meter.CreateHistogram<double>("bootcamp.send.duration", unit: "s", description: "Time to hand one email to the mail server",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SendSecondsBuckets });
        _policyRejections = meter.CreateCounter<long>("bootcamp.policy_rejections", description: "5.7.x refusals: the sender's own configuration needs attention");
        _unsubscribes = meter.CreateCounter<long>("bootcamp.unsubscribes", description: "Unsubscribes");
        _bounces = meter.CreateCounter<long>("bootcamp.bounces", description: "Addresses stopped by a bounce or a complaint, by reason");
        meter.CreateObservableGauge("bootcamp.lessons.oldest_due_age", () => Reading(in _oldestDueLessonAge), unit: "s",
            description: "How long the oldest lesson that is due and not yet sent has waited; 0 when none waits");
        meter.CreateObservableGauge("bootcamp.ready", () => Reading(in _ready), description: "1 when the database answered this process's last look (every 10 s), else 0");
    }

    public void SignedUp() => _signups.Add(1);

    public void Confirmed() => _confirmations.Add(1);

    public void Unsubscribed() => _unsubscribes.Add(1);

    public void PolicyRejection() => _policyRejections.Add(1);

    /// <summary><paramref name="reason"/>: hard-bounce, soft-bounces or complaint.</summary>
    public void Bounced(string reason) => _bounces.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void OldestDueLessonAge(TimeSpan age) => Volatile.Write(ref _oldestDueLessonAge, Math.Max(0, age.TotalSeconds));

    public void Ready(bool ready) => Volatile.Write(ref _ready, ready ? 1 : 0);

    private static IEnumerable<Measurement<double>> Reading(in double value) =>
        Volatile.Read(in value) is var v && !double.IsNaN(v) ? [new Measurement<double>(v)] : [];

    public void LessonSent(string outcome, TimeSpan elapsed) => EmailSent("lesson", outcome, elapsed);

    /// <summary>The "you finished" note, counted apart from lessons.</summary>
    public void FinishedNoteSent(string outcome, TimeSpan elapsed) => EmailSent("finished_note", outcome, elapsed);

    public void EmailSent(string kind, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "kind", kind }, { "outcome", outcome } };
        _sends.Add(1, tags);
        _sendSeconds.Record(elapsed.TotalSeconds, tags);
    }
}
