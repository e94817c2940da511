namespace Bootcamp.Admin.Overview;

/// <summary>Everything the overview page shows, and its charts' data (also served as JSON).</summary>
public sealed record OverviewReport(
    OverviewFilter Filter, DateTime GeneratedAt, bool CountedLive, IReadOnlyList<FunnelStep> Funnel, IReadOnlyList<DayFigures> Days,
    IReadOnlyList<CohortRow> Cohorts, IReadOnlyList<TrendPoint> Trend, DeliveryHealth Delivery);

/// <summary>One step of the funnel; <see cref="OfPrevious"/> is null for the first step or when the step before is 0.</summary>
public sealed record FunnelStep(string Label, long Count, double? OfPrevious);

/// <summary>
/// One course day. Opens only exist for readers who allowed tracking: <see cref="Unknown"/> are lessons sent to the
/// others, so person + machine-only + not opened = <see cref="Sent"/> − <see cref="Unknown"/>.
/// </summary>
public sealed record DayFigures(int Day, long Sent, long OpenedByPerson, long OpenedByMachineOnly, long Unknown, long Clicked, long StepDone, long Bounced, long LeftAfter)
{
    public long Tracked => Sent - Unknown;
}

/// <summary>Courses signed up in one week (starting Monday, UTC) and, per course day, the share that did the step and that got the lesson.</summary>
public sealed record CohortRow(DateOnly Week, long Confirmed, IReadOnlyList<CohortCell> Days);

public sealed record CohortCell(int Day, double? StepDone, double? StillEnrolled);

public sealed record TrendPoint(DateOnly Date, long SignedUp, long Confirmed, long Finished);

/// <summary>Is mail going out: the queue now, the last 24 hours, and this process's SMTP connections.</summary>
public sealed record DeliveryHealth(
    long DueNow, long InFlight, DateTime? OldestDueAt, TimeSpan? OldestDueAge, long SentLast24h, FailureCounts FailedLast24h,
    long Suppressions, Delivery.MailPoolState Pool);

/// <summary>
/// Failed deliveries in the last 24 hours by kind: deferred after a 4xx (tried again later), failed for good with a 5xx,
/// bounced (5.1.x at sending, or a bounce report), complaints (feedback reports), refused by policy (5.7.x).
/// </summary>
public sealed record FailureCounts(long Deferred4xx, long Failed5xx, long Bounced, long Complaints, long Policy);
