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

    /// <summary>The HTML body, as UTF-8.</summary>
    public Task<byte[]> RenderHtmlAsync(string key, EmailModel model) => RenderAsync(_html, key, model, text: false);

    /// <summary>The plain-text body, tidied (<see cref="PlainText"/>), as UTF-8.</summary>
    public Task<byte[]> RenderTextAsync(string key, EmailModel model) => RenderAsync(_text, key, model, text: true);

    // Renders write into a reused builder, not a fresh StringWriter each time: a lesson's HTML grew its
    // builder chunk by chunk on every render (~45 KB of the ~110 KB a lesson's render allocated, measured).
    // The builder is encoded to UTF-8 directly; no string of the whole body is made.
    private static readonly ObjectPool<StringBuilder> Builders =
        new DefaultObjectPoolProvider().CreateStringBuilderPool(initialCapacity: 32 * 1024, maximumRetainedCapacity: 256 * 1024);

    private async Task<byte[]> RenderAsync(EngineHandler handler, string key, EmailModel model, bool text)
    {
        var factory = Find(key) ?? throw NotCompiled(key);
        var page = factory();
        // Plain text is not HTML: its values are written verbatim.
        page.DisableEncoding = text;
        var rendered = Builders.Get();
        var tidied = text ? Builders.Get() : null;
        try
        {
            await using (var writer = new StringWriter(rendered, CultureInfo.InvariantCulture))
            {
                await handler.RenderTemplateAsync(page, model, writer).ConfigureAwait(false);
            }
            return tidied is null
                ? Utf8(Contents(rendered).Span)
                : Utf8(Contents(PlainText.Tidy(Contents(rendered).Span, tidied)).Span);
        }
        finally
        {
            Builders.Return(rendered);
            if (tidied is not null)
            {
                Builders.Return(tidied);
            }
        }
    }

    private static byte[] Utf8(ReadOnlySpan<char> chars)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(chars)];
        Encoding.UTF8.GetBytes(chars, bytes);
        return bytes;
    }

    // A pooled builder is one chunk (its capacity outgrows a body after the first render, and clearing it
    // keeps that capacity in one chunk); the copy is for the first renders that overflow it.
    private static ReadOnlyMemory<char> Contents(StringBuilder builder)
    {
        ReadOnlyMemory<char> only = default;
        var chunks = 0;
        foreach (var chunk in builder.GetChunks())
        {
            if (!chunk.IsEmpty)
            {
                only = chunk;
                chunks++;
            }
        }
        return chunks <= 1 ? only : builder.ToString().AsMemory();
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
