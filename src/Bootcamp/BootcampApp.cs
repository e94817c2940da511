using Bootcamp.Admin;
using Bootcamp.Bounces;
using Bootcamp.Courses;
using Bootcamp.Delivery;
using Bootcamp.Enrollment;
using Bootcamp.Guide;
using Bootcamp.Jobs;
using Bootcamp.Lessons;
using Bootcamp.Manage;
using Bootcamp.Operations;
using Bootcamp.Persistence;
using Bootcamp.Security;
using Bootcamp.Tracking;
using Bootcamp.Webhooks;

namespace Bootcamp;

/// <summary>The whole service, as a table of contents. Tests and benchmarks build it with their own arguments.</summary>
public static class BootcampApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddOperations();    // clock, problem details, metrics, page rendering
        builder.AddApiDocument();   // the public API's OpenAPI document
        builder.AddManagementListener(); // /metrics on Management:Urls only
        builder.AddRequestBodyLimits(); // a few KB per request body
        builder.AddProxyForwarding(); // X-Forwarded-For/-Proto, from Forwarding:KnownProxies only
        builder.AddPersistence();   // EF Core on SQLite or PostgreSQL
        builder.AddCourses();       // the course's record: every state change, and its events
        builder.AddSecurity();      // Data Protection keys in the database, antiforgery, HSTS
        builder.AddClientRateLimits(); // per client (an IPv4 address, an IPv6 /64): sign-up and token pages
        builder.AddDelivery();      // MIME, SMTP pool or pickup directory, the batch sender
        builder.AddLessons();       // RazorLight templates, the campaign's settings
        builder.AddBounces();       // VERP return paths; DSNs and complaints read over IMAP
        builder.AddJobs();          // Hangfire executes, Quartz schedules
        builder.AddEnrollment();    // sign-up, confirm, unsubscribe, the per-address limit
        builder.AddTracking();      // opens, clicks, "I did today's step"
        builder.AddAdmin();         // sign-in, JSON API, job dashboard
        builder.AddWebhooks();      // course events to integrators, signed, from the outbox
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseProxyForwarding();   // first: the pixel's Apple relay check and every limit below see the real client
        app.UseOpenPixel();         // GET /t/o/{token}: the hot path, answered before everything below
        app.UseHttpsHeaders();      // HSTS on https requests (directly or through a trusted proxy)
        app.UseRouting();
        app.UseManagementListener();
        app.UseExceptionHandler();
        app.UseRequestBodyLimits();
        app.UseSecurityHeaders();
        app.UseAdminNoStore();      // Cache-Control: no-store on everything under /admin
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapOperations();
        app.MapApiDocument();
        app.MapEnrollment();
        app.MapGuide();
        app.MapTracking();
        app.MapManage();
        app.MapAdmin();
        return app;
    }
}
