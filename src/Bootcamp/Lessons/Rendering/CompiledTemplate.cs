using System.Reflection;
using System.Text;
using RazorLight;
using RazorLight.Compilation;
using RazorLight.Razor;

namespace Bootcamp.Lessons.Rendering;

/// <summary>One template compiled to an assembly (and its symbols, which map a render's exceptions to template lines).</summary>
internal sealed record CompiledTemplate(string Key, byte[] Assembly, byte[] Symbols)
{
    // "Bootcamp templates, version 2" (version 1 had no fingerprint): a file of another format is refused rather than misread.
    private const string Magic = "BCTPL2";

    /// <summary>Loads the assembly into this process and returns RazorLight's page factory for it.</summary>
    public Func<ITemplatePage> LoadFactory()
    {
        var assembly = System.Reflection.Assembly.Load(Assembly, Symbols.Length > 0 ? Symbols : null);
        var attribute = assembly.GetCustomAttribute<RazorLightTemplateAttribute>()
            ?? throw new InvalidOperationException($"The compiled {Key} has no RazorLight template attribute.");
        return new TemplateFactoryProvider().CreateFactory(new CompiledTemplateDescriptor { TemplateKey = Key, TemplateAttribute = attribute });
    }

    /// <summary>Writes the set with the <see cref="TemplateSetFingerprint"/> of what it was compiled from.</summary>
    public static void WriteAll(Stream stream, string fingerprint, IReadOnlyList<CompiledTemplate> templates)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(fingerprint);
        writer.Write(templates.Count);
        foreach (var template in templates)
        {
            writer.Write(template.Key);
            writer.Write(template.Assembly.Length);
            writer.Write(template.Assembly);
            writer.Write(template.Symbols.Length);
            writer.Write(template.Symbols);
        }
    }

    /// <summary>The fingerprint the set was written with, read before anything else.</summary>
    public static string ReadFingerprint(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException("Not a compiled-templates file of this version.");
        }
        return reader.ReadString();
    }

    /// <summary>The templates, from a stream positioned just after <see cref="ReadFingerprint"/>.</summary>
    public static IReadOnlyList<CompiledTemplate> ReadAll(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var templates = new CompiledTemplate[reader.ReadInt32()];
        for (var i = 0; i < templates.Length; i++)
        {
            var key = reader.ReadString();
            var assembly = reader.ReadBytes(reader.ReadInt32());
            var symbols = reader.ReadBytes(reader.ReadInt32());
            templates[i] = new CompiledTemplate(key, assembly, symbols);
        }
        return templates;
    }
}
