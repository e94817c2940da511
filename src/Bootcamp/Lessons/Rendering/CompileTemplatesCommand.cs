namespace Bootcamp.Lessons.Rendering;

/// <summary>
/// <c>Bootcamp compile-templates &lt;templates directory&gt; &lt;output file&gt;</c>: the child process the server
/// starts to compile its templates, and the build and publish step that compiles the repository's templates
/// ahead of time (<see cref="TemplateCompilerProcess.BuiltFileName"/>, Bootcamp.csproj). Exit 0 with the assemblies written; exit 3 with one
/// "file(line,column): error …" line per problem on standard error.
/// </summary>
internal static class CompileTemplatesCommand
{
    public const string Name = "compile-templates";
    public const int TemplatesBroken = 3;
    private const int Usage = 64;

    public static async Task<int> RunAsync(string[] arguments)
    {
        if (arguments is not [Name, var directory, var output])
        {
            await Console.Error.WriteLineAsync($"usage: Bootcamp {Name} <templates directory> <output file>").ConfigureAwait(false);
            return Usage;
        }
        try
        {
            var fullPath = Path.GetFullPath(directory);
            // Taken before the compile: a file edited meanwhile makes a set that no start-up will trust.
            var fingerprint = TemplateSetFingerprint.Of(fullPath);
            var compiled = await TemplateCompiler.CompileAllAsync(fullPath).ConfigureAwait(false);
            await using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None);
            CompiledTemplate.WriteAll(file, fingerprint, compiled);
            return 0;
        }
        catch (TemplateCompilationFailedException broken)
        {
            foreach (var line in broken.Errors)
            {
                await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
            }
            return TemplatesBroken;
        }
    }
}
