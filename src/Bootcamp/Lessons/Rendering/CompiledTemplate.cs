using System.Reflection;
using System.Text;
using RazorLight;
using RazorLight.Compilation;
using RazorLight.Razor;

namespace Bootcamp.Lessons.Rendering;

/// <summary>One template compiled to an assembly (and its symbols, which map a render's exceptions to template lines).</summary>
internal sealed record CompiledTemplate(string Key, byte[] Assembly, byte[] Symbols)
{
    // "Bootcamp templates, version 1": a file from another build is refused rather than misread.
    private const string Magic = "BCTPL1";

    /// <summary>Loads the assembly into this process and returns RazorLight's page factory for it.</summary>
    public Func<ITemplatePage> LoadFactory()
    {
        var assembly = System.Reflection.Assembly.Load(Assembly, Symbols.Length > 0 ? Symbols : null);
        var attribute = assembly.GetCustomAttribute<RazorLightTemplateAttribute>()
            ?? throw new InvalidOperationException($"The compiled {Key} has no RazorLight template attribute.");
        return new TemplateFactoryProvider().CreateFactory(new CompiledTemplateDescriptor { TemplateKey = Key, TemplateAttribute = attribute });
    }

    public static void WriteAll(Stream stream, IReadOnlyList<CompiledTemplate> templates)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
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

    public static IReadOnlyList<CompiledTemplate> ReadAll(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException("Not a compiled-templates file of this version.");
        }
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
