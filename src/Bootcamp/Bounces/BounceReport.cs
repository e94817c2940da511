namespace Bootcamp.Bounces;

/// <summary>What <see cref="DsnParser"/> read from one message of the bounce mailbox.</summary>
public sealed record BounceReport(
    string? ReportType,
    IReadOnlyList<BounceFinding> Findings,
    string? OriginalMessageId,
    long? LessonId,
    bool ForgedReturnPath)
{
    public static readonly BounceReport None = new(null, [], null, null, false);

    /// <summary>A <c>multipart/report</c> of delivery status or feedback: something to match to a lesson.</summary>
    public bool IsReport => ReportType is not null;

    /// <summary>The most severe finding: what is done to the lesson (one recipient per lesson).</summary>
    public BounceFinding? Decisive => Findings.Count == 0 ? null : Findings.MaxBy(f => f.Kind);
}
