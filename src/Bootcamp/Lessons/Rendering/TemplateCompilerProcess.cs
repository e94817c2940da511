using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using RazorLight;

namespace Bootcamp.Lessons.Rendering;

/// <summary>The page factory of every template, and whether they were compiled ahead of time (no compiler ran now).</summary>
internal sealed record LoadedTemplates(IReadOnlyDictionary<string, Func<ITemplatePage>> Factories, bool CompiledAhead);

/// <summary>
/// Loads the templates compiled ahead of time beside this assembly (<see cref="BuiltFileName"/>, written by the
/// build and the publish) when they were made from the same files, or else compiles them in a child process
/// (<see cref="CompileTemplatesCommand"/>) and loads the emitted assemblies here. Compiling in the server itself
/// left Roslyn's JIT code, loader heaps and metadata in its working set for its whole life (delivery benchmark:
/// peak RSS 299–302 MB then, 230 MB after); the child takes that memory with it when it exits, but while it runs
/// (2–3 s, ~170 MB) it sits beside the server: the start-up's peak. Compiled ahead, nothing sits beside it.
/// </summary>
internal static class TemplateCompilerProcess
{
    /// <summary>The repository's templates compiled at build and publish, beside <c>Bootcamp.dll</c>.</summary>
    public const string BuiltFileName = "templates.compiled";

    // A compile takes 2–3 s on 2 cores; a child still running after this is stuck, not slow.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    // One load per set of template files per process: loaded assemblies are never unloaded, so a second
    // renderer over the same unchanged files (a second host in a test run) reuses them.
    private static readonly ConcurrentDictionary<string, Lazy<Task<LoadedTemplates>>> Loaded = new(StringComparer.Ordinal);

    /// <summary>
    /// The page factory of every template in the directory: from <paramref name="compiledAhead"/> if it was
    /// compiled from these very files by this very build, else compiled now.
    /// </summary>
    public static async Task<LoadedTemplates> CompileAsync(string directory, string compiledAhead, CancellationToken cancellationToken)
    {
        var fingerprint = TemplateSetFingerprint.Of(directory);
        var entry = Loaded.GetOrAdd(fingerprint, _ => new Lazy<Task<LoadedTemplates>>(
            () => Task.Run(() => LoadAsync(directory, fingerprint, compiledAhead), CancellationToken.None)));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (entry.Value.IsFaulted)
        {
            // A broken set is not remembered: the next attempt, after a fix, compiles again.
            Loaded.TryRemove(KeyValuePair.Create(fingerprint, entry));
            throw;
        }
    }

    /// <summary>Where the build put the templates it compiled: beside this assembly.</summary>
    public static string BuiltFile => Path.Combine(AppContext.BaseDirectory, BuiltFileName);

    private static async Task<LoadedTemplates> LoadAsync(string directory, string fingerprint, string compiledAhead)
    {
        if (TryOpenMatching(compiledAhead, fingerprint) is { } ahead)
        {
            await using (ahead.ConfigureAwait(false))
            {
                return new LoadedTemplates(Factories(ahead), CompiledAhead: true);
            }
        }
        return new LoadedTemplates(await CompileAndLoadAsync(directory).ConfigureAwait(false), CompiledAhead: false);
    }

    /// <summary>The file, positioned after its fingerprint, if it exists and holds a set made from the same files; else null.</summary>
    private static FileStream? TryOpenMatching(string path, string fingerprint)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // None built (a test host's folder, a build that could not run the compiler): compile now.
            return null;
        }
        try
        {
            if (CompiledTemplate.ReadFingerprint(file) == fingerprint)
            {
                return file;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // Another format or a torn file: compiled now instead, as if there were none.
        }
        file.Dispose();
        return null;
    }

    private static Dictionary<string, Func<ITemplatePage>> Factories(Stream compiled) =>
        CompiledTemplate.ReadAll(compiled).ToDictionary(t => t.Key, t => t.LoadFactory(), StringComparer.Ordinal);

    private static async Task<IReadOnlyDictionary<string, Func<ITemplatePage>>> CompileAndLoadAsync(string directory)
    {
        // A folder only this user can enter (0700): the file holds code this process is about to load.
        var folder = Directory.CreateTempSubdirectory("bootcamp-templates-");
        try
        {
            var output = Path.Combine(folder.FullName, "templates.bin");
            await RunChildAsync(directory, output).ConfigureAwait(false);
            await using var file = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.None);
            CompiledTemplate.ReadFingerprint(file);
            return Factories(file);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Compiles the directory's templates to <paramref name="output"/> in a child process, as the build does.</summary>
    internal static async Task RunChildAsync(string directory, string output)
    {
        var (program, prefix) = ThisProgram();
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The server's heap cap (Bootcamp.csproj) is sized for serving; Roslyn compiling every template needs more.
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x40000000";
        foreach (var argument in (string[])[.. prefix, CompileTemplatesCommand.Name, directory, output])
        {
            start.ArgumentList.Add(argument);
        }
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName} to compile the templates.");
        var errors = child.StandardError.ReadToEndAsync();
        var stdout = child.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await child.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"Compiling the templates in {directory} took longer than {Limit.TotalSeconds:F0} s.");
        }
        var lines = (await errors.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _ = await stdout.ConfigureAwait(false);
        switch (child.ExitCode)
        {
            case 0:
                return;
            case CompileTemplatesCommand.TemplatesBroken:
                throw new TemplateCompilationFailedException(lines);
            default:
                throw new InvalidOperationException(
                    $"The template compiler ({start.FileName} {string.Join(' ', start.ArgumentList)}) exited with {child.ExitCode}: {string.Join(" / ", lines)}");
        }
    }

    /// <summary>
    /// How to start this very program again. Run through its own executable (`dotnet run`, a self-contained
    /// publish): that executable. Run as `dotnet Bootcamp.dll` (the container), or hosted by a test runner or
    /// benchmark: `dotnet exec Bootcamp.dll`, with the runtimeconfig and deps files found beside it.
    /// </summary>
    private static (string Program, string[] Prefix) ThisProgram()
    {
        var assembly = typeof(TemplateCompilerProcess).Assembly;
        if (Environment.ProcessPath is { } self
            && string.Equals(Path.GetFileNameWithoutExtension(self), assembly.GetName().Name, StringComparison.Ordinal))
        {
            return (self, []);
        }
        return (DotnetHost(), ["exec", assembly.Location]);
    }

    /// <summary>The <c>dotnet</c> host that runs this process: the SDK's (under dotnet run/test) or the runtime's own.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } sdkHost && File.Exists(sdkHost))
        {
            return sdkHost;
        }
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        // <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
