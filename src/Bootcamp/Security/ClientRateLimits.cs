using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bootcamp.Security;

/// <summary>The per-client limits, each counted per <see cref="ClientKey"/>; beyond one, 429.</summary>
public static class ClientRateLimits
{
    /// <summary>POST /signup and POST /api/enrollments.</summary>
    public const string Signup = "signup";

    /// <summary>Every page a token in an email opens: /confirm, /t/c, /d, /u and /m.</summary>
    public const string Token = "token";

    public static IHostApplicationBuilder AddClientRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Signup, context => PerMinute(context, limits => limits.SignupsPerIpPerMinute));
            o.AddPolicy(Token, context => PerMinute(context, limits => limits.TokenRequestsPerClientPerMinute));
        });
        return builder;
    }

    private static RateLimitPartition<string> PerMinute(HttpContext context, Func<RateLimitOptions, int> limitOf)
    {
        var limit = limitOf(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        var client = ClientKey.Of(context.Connection.RemoteIpAddress);
        return limit <= 0
            ? RateLimitPartition.GetNoLimiter(client)
            : RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }
}
