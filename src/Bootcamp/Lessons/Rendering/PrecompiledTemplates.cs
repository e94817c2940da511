using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Primitives;
using RazorLight;
using RazorLight.Caching;
using RazorLight.Compilation;

namespace Bootcamp.Lessons.Rendering;

/// <summary>
/// Renders from page factories compiled at start-up, through RazorLight's own render path (layouts,
/// sections, includes), with no compiler behind it: a key that was not compiled is an error, never a compile.
/// Stateless apart from the frozen factories, so any number of renders may run at once.
/// </summary>
internal sealed class PrecompiledTemplates : ICachingProvider, IRazorTemplateCompiler, ITemplateFactoryProvider
{
    private readonly FrozenDictionary<string, Func<ITemplatePage>> _factories;
    private readonly string _directory;
    private readonly EngineHandler _html;
    private readonly EngineHandler _text;

    public PrecompiledTemplates(string directory, IReadOnlyDictionary<string, Func<ITemplatePage>> factories)
    {
        _directory = directory;
        _factories = factories.ToFrozenDictionary(StringComparer.Ordinal);
        _html = new EngineHandler(new RazorLightOptions { DisableEncoding = false }, this, this, this);
        // Plain text is not HTML: every page of a text render (its layout too) writes values verbatim.
        _text = new EngineHandler(new RazorLightOptions { DisableEncoding = true }, this, this, this);
    }

    public bool Contains(string key) => Find(key) is not null;

    public Task<string> RenderHtmlAsync(string key, EmailModel model) => RenderAsync(_html, key, model, disableEncoding: false);

    public Task<string> RenderTextAsync(string key, EmailModel model) => RenderAsync(_text, key, model, disableEncoding: true);

    // Renders write into a reused builder, not a fresh StringWriter each time: a lesson's HTML grew its
    // builder chunk by chunk on every render (~45 KB of the ~110 KB a lesson's render allocated, measured).
    private static readonly ObjectPool<StringBuilder> Builders =
        new DefaultObjectPoolProvider().CreateStringBuilderPool(initialCapacity: 32 * 1024, maximumRetainedCapacity: 256 * 1024);

    private async Task<string> RenderAsync(EngineHandler handler, string key, EmailModel model, bool disableEncoding)
    {
        var factory = Find(key) ?? throw NotCompiled(key);
        var page = factory();
        page.DisableEncoding = disableEncoding;
        var builder = Builders.Get();
        try
        {
            await using var writer = new StringWriter(builder, CultureInfo.InvariantCulture);
            await handler.RenderTemplateAsync(page, model, writer).ConfigureAwait(false);
            return builder.ToString();
        }
        finally
        {
            Builders.Return(builder);
        }
    }

    // Layout = "_Layout" and Layout = "_Layout.cshtml" both find the layout.
    private Func<ITemplatePage>? Find(string key) =>
        _factories.GetValueOrDefault(key.TrimStart('/'))
        ?? _factories.GetValueOrDefault(key.TrimStart('/') + TemplateCompiler.Extension);

    private InvalidOperationException NotCompiled(string key) =>
        new($"Template '{key}' is not one of the templates compiled from {_directory} at start-up.");

    TemplateCacheLookupResult ICachingProvider.RetrieveTemplate(string key) =>
        Find(key) is { } factory ? new TemplateCacheLookupResult(new TemplateCacheItem(key, factory)) : new TemplateCacheLookupResult();

    void ICachingProvider.CacheTemplate(string key, Func<ITemplatePage> pageFactory, IChangeToken expirationToken) =>
        throw NotCompiled(key);

    void ICachingProvider.Remove(string key) => throw new NotSupportedException("Compiled templates are fixed for the life of the process.");

    ICompilationService IRazorTemplateCompiler.CompilationService =>
        throw new NotSupportedException("Templates are compiled only at start-up.");

    Task<CompiledTemplateDescriptor> IRazorTemplateCompiler.CompileAsync(string templateKey) => throw NotCompiled(templateKey);

    Func<ITemplatePage> ITemplateFactoryProvider.CreateFactory(CompiledTemplateDescriptor templateDescriptor) =>
        throw NotCompiled(templateDescriptor.TemplateKey);
}
