using System.Diagnostics;
using Bootcamp.Operations;
using Hangfire.Client;
using Hangfire.Server;

namespace Bootcamp.Jobs;

/// <summary>
/// Carries the trace across Hangfire, as W3C <c>traceparent</c> in a job parameter: the span that enqueued a job
/// (a sign-up's, a confirmation's, a dispatch's) is the parent of the job's own span, whichever process runs it.
/// Registered only while tracing is on, so untraced jobs carry no extra parameter.
/// </summary>
public sealed class TraceContextJobFilter : IClientFilter, IServerFilter
{
    private const string Parameter = "traceparent";
    private const string SpanItem = "bootcamp.span";

    public void OnCreating(CreatingContext context)
    {
        if (Activity.Current is { } current)
        {
            context.SetJobParameter(Parameter, current.Id);
        }
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        ActivityContext.TryParse(context.GetJobParameter<string>(Parameter), null, out var parent);
        var job = context.BackgroundJob.Job;
        var span = Tracing.Source.StartActivity($"{job.Type.Name}.{job.Method.Name}", ActivityKind.Consumer, parent);
        if (span is not null)
        {
            context.Items[SpanItem] = span;
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.TryGetValue(SpanItem, out var item) && item is Activity span)
        {
            // The type only: an exception's message may quote a server reply, and with it an address.
            if (context.Exception is { } exception)
            {
                span.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            }
            span.Dispose();
        }
    }
}
