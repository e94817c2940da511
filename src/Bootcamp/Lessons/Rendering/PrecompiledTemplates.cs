using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.ObjectPool;
using RazorLight;

namespace Bootcamp.Lessons.Rendering;

/// <summary>
/// Renders from page factories compiled at start-up (layouts, sections, includes) through <see cref="PageRenderer"/>,
/// with no compiler behind it: a key that was not compiled is an error, never a compile. Stateless apart from the
/// frozen factories and a pool of builders, so any number of renders may run at once.
/// </summary>
internal sealed class PrecompiledTemplates
{
    private readonly FrozenDictionary<string, Func<ITemplatePage>> _factories;
    private readonly string _directory;
    private readonly PageRenderer _renderer;

    public PrecompiledTemplates(string directory, IReadOnlyDictionary<string, Func<ITemplatePage>> factories)
    {
        _directory = directory;
        _factories = factories.ToFrozenDictionary(StringComparer.Ordinal);
        _renderer = new PageRenderer(Find, NotCompiled, Builders);
    }

    public bool Contains(string key) => Find(key) is not null;

    /// <summary>The HTML body, as UTF-8.</summary>
    public Task<byte[]> RenderHtmlAsync(string key, EmailModel model) => RenderAsync(key, model, text: false);

    /// <summary>The plain-text body, tidied (<see cref="PlainText"/>), as UTF-8.</summary>
    public Task<byte[]> RenderTextAsync(string key, EmailModel model) => RenderAsync(key, model, text: true);

    // Renders write into reused builders, not a fresh StringWriter each time: a lesson's HTML grew its
    // builder chunk by chunk on every render (~45 KB of the ~110 KB a lesson's render allocated, measured).
    // The builder is encoded to UTF-8 directly; no string of the whole body is made. A render holds two (the
    // page and its layout) and two more for each include while it runs: 32 kept serve the eight senders.
    private static readonly ObjectPool<StringBuilder> Builders =
        new DefaultObjectPoolProvider { MaximumRetained = 32 }.CreateStringBuilderPool(initialCapacity: 32 * 1024, maximumRetainedCapacity: 256 * 1024);

    private async Task<byte[]> RenderAsync(string key, EmailModel model, bool text)
    {
        var rendered = await _renderer.RenderAsync(key, model, text).ConfigureAwait(false);
        var tidied = text ? Builders.Get() : null;
        try
        {
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
    internal Func<ITemplatePage>? Find(string key) =>
        _factories.GetValueOrDefault(key.TrimStart('/'))
        ?? _factories.GetValueOrDefault(key.TrimStart('/') + TemplateCompiler.Extension);

    internal InvalidOperationException NotCompiled(string key) =>
        new($"Template '{key}' is not one of the templates compiled from {_directory} at start-up.");
}
