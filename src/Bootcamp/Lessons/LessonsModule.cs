using Microsoft.Extensions.Options;

namespace Bootcamp.Lessons;

public static class LessonsModule
{
    public static IHostApplicationBuilder AddLessons(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CampaignOptions>().BindConfiguration(CampaignOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<CampaignOptions>, CampaignOptionsValidator>();
        // Delivery knows senders, not the campaign: the campaign names them.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<CampaignOptions>>().Value.Senders);
        var templates = Path.Combine(builder.Environment.ContentRootPath, "templates");
        builder.Services.AddSingleton(_ => new TemplateRenderer(templates));
        builder.Services.AddSingleton<IEmailRenderer>(sp => sp.GetRequiredService<TemplateRenderer>());
        builder.Services.AddSingleton<LessonComposer>();
        builder.Services.AddSingleton<FinishedNoteComposer>();
        builder.Services.AddScoped<LessonBatchJob>();
        builder.Services.AddScoped<LessonResender>();
        builder.Services.AddScoped<FinishedNoteJob>();
        return builder;
    }

    /// <summary>Compiles every template before the host serves: a broken one stops start-up, naming file and line.</summary>
    public static async Task CompileTemplatesAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var renderer = services.GetRequiredService<TemplateRenderer>();
        await renderer.CompileAllAsync(cancellationToken);
        // Which way tells an operator whose edited templates cost a compile at every start (README: Templates).
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TemplateRenderer)).LogInformation(
            renderer.CompiledAhead ? "Templates in {Directory} loaded as compiled at build ({Seconds:0.0} s)" : "Templates in {Directory} compiled at start-up ({Seconds:0.0} s)",
            renderer.TemplatesDirectory, renderer.CompileTime.TotalSeconds);
    }
}
