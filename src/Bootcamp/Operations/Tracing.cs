using System.Diagnostics;

namespace Bootcamp.Operations;

/// <summary>
/// The service's own spans. Listened to only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null after one check, and nothing is built.
/// Attributes are ids, days, outcomes and SMTP codes: never an address, a name or a token.
/// </summary>
public static class Tracing
{
    public const string SourceName = "Bootcamp";

    /// <summary>The configuration key (an environment variable in practice) that turns tracing on.</summary>
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static readonly ActivitySource Source = new(SourceName);

    public const string Day = "bootcamp.lesson.day";
    public const string EnrollmentId = "bootcamp.enrollment.id";
    public const string Outcome = "bootcamp.send.outcome";
    public const string Count = "bootcamp.count";
    public const string SmtpStatusCode = "smtp.status_code";

    public static bool Enabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointKey]);

    /// <summary>What a send came to: "sent" with the server's 250, or the failure's kind and the server's code (none when it never answered).</summary>
    public static void SendOutcome(this Activity? span, string outcome, int smtpStatusCode)
    {
        if (span is null)
        {
            return;
        }
        span.SetTag(Outcome, outcome);
        if (smtpStatusCode > 0)
        {
            span.SetTag(SmtpStatusCode, smtpStatusCode);
        }
        if (outcome != "sent")
        {
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}
