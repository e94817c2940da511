using System.Diagnostics;
using Bootcamp.Delivery;
using Bootcamp.Lessons.Rendering;

namespace Bootcamp.Lessons;

/// <summary>
/// Renders the emails from templates/ (RazorLight): <c>Name.cshtml</c> is the HTML part and sets the
/// subject and preheader, <c>Name.txt.cshtml</c> the plain-text part. Every template is compiled once, in
/// <see cref="CompileAllAsync"/>, before the first render; rendering never compiles and is thread-safe.
/// Register one instance for the process.
/// </summary>
public sealed class TemplateRenderer : IEmailRenderer
{
    internal const string ConfirmTemplate = "Confirm";
    internal const string FinishedTemplate = "Finished";
    internal const string TextSuffix = ".txt";

    private volatile PrecompiledTemplates? _templates;

    public TemplateRenderer(string templatesDirectory)
    {
        TemplatesDirectory = Path.GetFullPath(templatesDirectory);
    }

    /// <summary>The content root's <c>templates</c> folder (the repository root under <c>dotnet run</c>, the app folder in the container).</summary>
    public static string LocateTemplatesDirectory(string contentRootPath) =>
        Path.GetFullPath(Path.Combine(contentRootPath, "templates"));

    public string TemplatesDirectory { get; }

    /// <summary>How long <see cref="CompileAllAsync"/> took (compile and one sample render of every email).</summary>
    public TimeSpan CompileTime { get; private set; }

    /// <summary>True once <see cref="CompileAllAsync"/> has succeeded: renders will not throw for want of templates.</summary>
    public bool IsCompiled => _templates is not null;

    /// <summary>
    /// Compiles every <c>*.cshtml</c> in the directory and renders each email once with sample readers.
    /// Throws <see cref="TemplateCompilationFailedException"/> naming file and line when a template is
    /// broken or missing, so a bad template stops start-up instead of a send.
    /// </summary>
    public async Task CompileAllAsync(CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        if (!Directory.Exists(TemplatesDirectory))
        {
            throw new DirectoryNotFoundException($"Email templates directory not found: {TemplatesDirectory}");
        }
        // Compiled at build when the files are the repository's, else now in a child process: Roslyn's memory
        // leaves with it (see TemplateCompilerProcess).
        var loaded = await TemplateCompilerProcess.CompileAsync(TemplatesDirectory, CompiledAheadFile, cancellationToken).ConfigureAwait(false);
        var templates = new PrecompiledTemplates(TemplatesDirectory, loaded.Factories);
        await SampleRender(templates).ConfigureAwait(false);
        _templates = templates;
        CompiledAhead = loaded.CompiledAhead;
        CompileTime = stopwatch.Elapsed;
    }

    /// <summary>The templates compiled at build or publish that this renderer uses when its files are the same.</summary>
    public string CompiledAheadFile { get; init; } = TemplateCompilerProcess.BuiltFile;

    /// <summary>True when <see cref="CompileAllAsync"/> found its templates compiled ahead (no compiler ran).</summary>
    public bool CompiledAhead { get; private set; }

    public ValueTask<RenderedEmail> RenderConfirmAsync(ConfirmEmailModel model) =>
        RenderAsync(Compiled, ConfirmTemplate, model);

    public ValueTask<RenderedEmail> RenderLessonAsync(LessonEmailModel model)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(model.Day, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(model.Day, model.TotalDays);
        return RenderAsync(Compiled, LessonTemplate(model.Day), model);
    }

    public ValueTask<RenderedEmail> RenderFinishedAsync(FinishedEmailModel model) =>
        RenderAsync(Compiled, FinishedTemplate, model);

    internal static string LessonTemplate(int day) => $"Day{day}";

    /// <summary>The compiled templates (internal: the tests hold their renders to RazorLight's own).</summary>
    internal PrecompiledTemplates Compiled =>
        _templates ?? throw new InvalidOperationException($"{nameof(CompileAllAsync)} must complete before the first render.");

    private static async ValueTask<RenderedEmail> RenderAsync(PrecompiledTemplates templates, string name, EmailModel model)
    {
        // The HTML template owns subject and preheader; it runs first, the text part reuses nothing else.
        model.Subject = string.Empty;
        model.Preheader = string.Empty;
        var html = await templates.RenderHtmlAsync(name + TemplateCompiler.Extension, model).ConfigureAwait(false);
        var text = await templates.RenderTextAsync(name + TextSuffix + TemplateCompiler.Extension, model).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(model.Subject) || string.IsNullOrWhiteSpace(model.Preheader))
        {
            throw new InvalidOperationException($"{name}{TemplateCompiler.Extension} must set Model.Subject and Model.Preheader.");
        }
        return new RenderedEmail(model.Subject, model.Preheader, html, text);
    }

    /// <summary>Every email rendered once, for a named and an anonymous, a tracked and an untracked, a normal and a discreet reader.</summary>
    private async Task SampleRender(PrecompiledTemplates templates)
    {
        var errors = new List<string>();
        string[] names = [ConfirmTemplate, .. Enumerable.Range(1, Domain.Campaign.LessonCount).Select(LessonTemplate), FinishedTemplate];
        foreach (var name in names)
        {
            foreach (var file in new[] { name + TemplateCompiler.Extension, name + TextSuffix + TemplateCompiler.Extension })
            {
                if (!templates.Contains(file))
                {
                    errors.Add($"{Path.Combine(TemplatesDirectory, file)}: error: missing (every email needs an HTML and a text template)");
                }
            }
        }
        if (errors.Count > 0)
        {
            throw new TemplateCompilationFailedException(errors);
        }

        foreach (var name in names)
        {
            foreach (var model in SampleModels.For(name))
            {
                try
                {
                    await RenderAsync(templates, name, model).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    throw new TemplateCompilationFailedException([SampleModels.Describe(TemplatesDirectory, name, ex)], ex);
                }
            }
        }
    }
}
