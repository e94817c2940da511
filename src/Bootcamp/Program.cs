using Bootcamp.Admin;
using Bootcamp.Delivery;
using Bootcamp.Enrollment;
using Bootcamp.Jobs;
using Bootcamp.Lessons;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Bootcamp.Tracking;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddOperations();    // clock, problem details, metrics, page rendering
    builder.AddPersistence();   // EF Core on SQLite or PostgreSQL: the record
    builder.AddSecurity();      // Data Protection keys in the database, antiforgery
    builder.AddDelivery();      // MIME, SMTP pool or pickup directory, the batch sender
    builder.AddLessons();       // RazorLight templates, the campaign's settings
    builder.AddJobs();          // Hangfire executes, Quartz schedules
    builder.AddEnrollment();    // sign-up, confirm, unsubscribe, rate limits
    builder.AddTracking();      // opens, clicks, "I did today's step"
    builder.AddAdmin();         // sign-in, JSON API, job dashboard

    var app = builder.Build();
    await app.PrepareAsync();   // configuration, migrations, job schema, templates, admin account

    app.UseExceptionHandler();
    app.UseSecurityHeaders();
    app.UseRateLimiter();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseAntiforgery();

    app.MapOperations();
    app.MapEnrollment();
    app.MapTracking();
    app.MapAdmin();

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (OperationsModule.DescribeStartupFailure(e) is { } line)
{
    await Console.Error.WriteLineAsync(line);
    return 2;
}

public partial class Program;
