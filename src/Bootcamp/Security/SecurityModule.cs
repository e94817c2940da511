using Bootcamp.Persistence;
using Microsoft.AspNetCore.DataProtection;

namespace Bootcamp.Security;

public static class SecurityModule
{
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        // Keys in the database: a token made by one process opens in every other, and after a restart.
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("Bootcamp")
            .PersistKeysToDbContext<BootcampDb>();
        // Encrypted there when a certificate is configured (read now: a bad file stops start-up).
        var certificate = DataProtectionCertificate.Load(builder.Configuration, builder.Environment.ContentRootPath);
        if (certificate is not null)
        {
            dataProtection.ProtectKeysWithCertificate(certificate);
        }
        // The same certificate seals the link-token and address-hash keys (KeysAtRest says why not through Data Protection).
        builder.Services.AddSingleton(new KeysAtRest(certificate));
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "bootcamp.af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__af";
        });
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        return builder;
    }

    /// <summary>
    /// Without <c>DataProtection:CertificatePath</c> the embedded default stores the Data Protection keys as plain XML
    /// and the link-token and address-hash keys as plain bytes in the database; the operator reads what that means
    /// once per start.
    /// </summary>
    public static void WarnIfKeysUnencrypted(this IServiceProvider services)
    {
        if (services.GetRequiredService<KeysAtRest>().Encrypted)
        {
            return;
        }
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DataProtectionCertificate)).LogWarning(
            "Data Protection keys and the link-token and address-hash keys are stored unencrypted in the database ({Key} is not set): anyone with a copy of the database can forge admin sign-ins, confirmation links and lesson and manage links, and test guessed addresses against the suppression list's hashes. Set {Key} to a .pfx certificate to encrypt them (README: Keys at rest)",
            DataProtectionCertificate.PathKey, DataProtectionCertificate.PathKey);
    }

    /// <summary>
    /// Strict-Transport-Security on https responses, outside Development: a browser that once reached the site
    /// over https never again tries plain http there. ASP.NET's middleware leaves http answers and loopback hosts alone.
    /// </summary>
    public static IApplicationBuilder UseHttpsHeaders(this WebApplication app) =>
        app.Environment.IsDevelopment() ? app : app.UseHsts();

    /// <summary>The Content-Security-Policy of every page but Hangfire's: nothing inline, nothing from elsewhere, never framed.</summary>
    public const string PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Headers every response carries (mail-and-security.md).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // Hangfire's dashboard ships inline scripts and styles; every other page has none.
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/admin/jobs")
            ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
            : PagePolicy;
        headers.XFrameOptions = "DENY";
        if (!headers.ContainsKey("Referrer-Policy"))
        {
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        }
        return next(context);
    });
}
