using System.Threading.RateLimiting;
using Bootcamp.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bootcamp.Admin.Accounts;

/// <summary>
/// POST /admin/login is limited twice, per client (<see cref="ClientKey"/>) and for everyone together, through
/// ASP.NET's rate limiter; beyond either, 429. A chained global limiter, because an endpoint takes one policy.
/// </summary>
public static class SignInRateLimits
{
    // Partitions are cached by key, so the unlimited one needs a key of its own (a client key is an address).
    private const string Overall = "overall";
    private const string Unlimited = "unlimited";

    public static IHostApplicationBuilder AddSignInRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var perClient = limits.Value.AdminSignInsPerClientPerMinute;
            var overall = limits.Value.AdminSignInsPerMinute;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context) && perClient > 0
                    ? PerMinute(ClientKey.Of(context.Connection.RemoteIpAddress), perClient)
                    : RateLimitPartition.GetNoLimiter(Unlimited)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context) && overall > 0
                    ? PerMinute(Overall, overall)
                    : RateLimitPartition.GetNoLimiter(Unlimited)));
        });
        return builder;
    }

    private static bool IsSignIn(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/admin/login", StringComparison.OrdinalIgnoreCase);

    private static RateLimitPartition<string> PerMinute(string key, int limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
