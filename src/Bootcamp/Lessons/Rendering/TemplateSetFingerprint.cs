using System.Security.Cryptography;
using System.Text;

namespace Bootcamp.Lessons.Rendering;

/// <summary>
/// What a compiled set of templates was made from: the template files' names and bytes, and the build of
/// Bootcamp whose model types the compiled pages call. Equal fingerprints mean a file compiled elsewhere (at
/// build or publish) renders exactly what a compile now would. Contents, not times: a clone or a copy into a
/// container changes every file's time and none of its bytes.
/// </summary>
internal static class TemplateSetFingerprint
{
    public static string Of(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(typeof(TemplateSetFingerprint).Assembly.ManifestModule.ModuleVersionId.ToByteArray());
        foreach (var file in TemplateCompiler.TemplateFiles(directory))
        {
            var bytes = File.ReadAllBytes(file.FullName);
            // Name and length first, so two sets can never run together into the same stream of bytes.
            hash.AppendData(Encoding.UTF8.GetBytes($"{file.Name}\n{bytes.Length}\n"));
            hash.AppendData(bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
