namespace Bootcamp.Benchmarks.Hosting;

/// <summary>A folder for one run's SQLite file or pickup mail, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    /// <param name="root">Where to make it; null: the temp folder.</param>
    public TempFolder(string? root = null)
    {
        Path = System.IO.Path.Combine(root ?? System.IO.Path.GetTempPath(), "bootcamp-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A memory-backed folder (tmpfs) when the machine has one: /dev/shm on Linux.</summary>
    public static string? InMemoryRoot() => Directory.Exists("/dev/shm") ? "/dev/shm" : null;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Progress.Say($"could not delete {Path}: {e.Message}");
        }
    }
}
