using System.Globalization;
using Bootcamp.Lessons.Rendering;
using Microsoft.Extensions.Primitives;
using RazorLight;
using RazorLight.Caching;
using RazorLight.Compilation;

namespace Bootcamp.UnitTests.Lessons;

/// <summary>
/// RazorLight's own renderer over the host's compiled pages: the reference <see cref="PageRenderer"/> is held to.
/// The pages are its template source and cache, so it renders them without compiling anything.
/// </summary>
internal sealed class RazorLightReference : ICachingProvider, IRazorTemplateCompiler, ITemplateFactoryProvider
{
    private readonly PrecompiledTemplates _compiled;
    private readonly EngineHandler _html;
    private readonly EngineHandler _text;

    public RazorLightReference(PrecompiledTemplates compiled)
    {
        _compiled = compiled;
        _html = new EngineHandler(new RazorLightOptions { DisableEncoding = false }, this, this, this);
        // Plain text is not HTML: every page of a text render (its layout too) writes values verbatim.
        _text = new EngineHandler(new RazorLightOptions { DisableEncoding = true }, this, this, this);
    }

    public async Task<string> RenderAsync(string key, object model, bool text)
    {
        var engine = text ? _text : _html;
        var page = await engine.CompileTemplateAsync(key);
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await engine.RenderTemplateAsync(page, model, writer);
        return writer.ToString();
    }

    TemplateCacheLookupResult ICachingProvider.RetrieveTemplate(string key) =>
        _compiled.Find(key) is { } factory ? new TemplateCacheLookupResult(new TemplateCacheItem(key, factory)) : new TemplateCacheLookupResult();

    bool ICachingProvider.Contains(string key) => _compiled.Find(key) is not null;

    void ICachingProvider.CacheTemplate(string key, Func<ITemplatePage> pageFactory, IChangeToken expirationToken) =>
        throw _compiled.NotCompiled(key);

    void ICachingProvider.Remove(string key) => throw new NotSupportedException("Compiled templates are fixed for the life of the process.");

    ICompilationService IRazorTemplateCompiler.CompilationService =>
        throw new NotSupportedException("Templates are compiled only at start-up.");

    Task<CompiledTemplateDescriptor> IRazorTemplateCompiler.CompileAsync(string templateKey) => throw _compiled.NotCompiled(templateKey);

    Func<ITemplatePage> ITemplateFactoryProvider.CreateFactory(CompiledTemplateDescriptor templateDescriptor) =>
        throw _compiled.NotCompiled(templateDescriptor.TemplateKey);
}
