using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using RazorLight;

namespace Bootcamp.Lessons.Rendering;

/// <summary>
/// Compiles the templates in a child process (<see cref="CompileTemplatesCommand"/>) and loads the emitted
/// assemblies here. Compiling in the server itself left Roslyn's JIT code, loader heaps and metadata in its
/// working set for its whole life (delivery benchmark: peak RSS 299–302 MB then, 230 MB now); the child
/// takes that memory with it when it exits.
/// </summary>
internal static class TemplateCompilerProcess
{
    // A compile takes 2–3 s on 2 cores; a child still running after this is stuck, not slow.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    // One compile per set of template files per process: loaded assemblies are never unloaded, so a second
    // renderer over the same unchanged files (a second host in a test run) reuses them.
    private static readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyDictionary<string, Func<ITemplatePage>>>>> Loaded =
        new(StringComparer.Ordinal);

    /// <summary>The page factory of every template in the directory.</summary>
    public static async Task<IReadOnlyDictionary<string, Func<ITemplatePage>>> CompileAsync(string directory, CancellationToken cancellationToken)
    {
        var files = TemplateCompiler.TemplateFiles(directory);
        var fingerprint = string.Join('|', files.Select(f => $"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"));
        var entry = Loaded.GetOrAdd(fingerprint, _ => new Lazy<Task<IReadOnlyDictionary<string, Func<ITemplatePage>>>>(
            () => Task.Run(() => CompileAndLoadAsync(directory), CancellationToken.None)));
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

    private static async Task<IReadOnlyDictionary<string, Func<ITemplatePage>>> CompileAndLoadAsync(string directory)
    {
        // A folder only this user can enter (0700): the file holds code this process is about to load.
        var folder = Directory.CreateTempSubdirectory("bootcamp-templates-");
        try
        {
            var output = Path.Combine(folder.FullName, "templates.bin");
            await RunChildAsync(directory, output).ConfigureAwait(false);
            await using var file = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.None);
            return CompiledTemplate.ReadAll(file).ToDictionary(t => t.Key, t => t.LoadFactory(), StringComparer.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task RunChildAsync(string directory, string output)
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
