using System.Globalization;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>
/// One temp folder per test run for the SQLite files and pickup folders the hosts write. It goes when the
/// run ends; a run that was killed leaves its folder to the next run, which removes it. (Each test used to
/// leave its own database in /tmp: 1.7 GB after a day of runs.)
/// </summary>
public static class TestScratch
{
    private const string Prefix = "bootcamp-tests-";

    private static readonly Lazy<string> Folder = new(Create);

    /// <summary>A fresh path in this run's folder (nothing is created there).</summary>
    public static string NewPath(string name, string extension = "") =>
        Path.Combine(Folder.Value, $"{name}-{Guid.NewGuid():N}{extension}");

    private static string Create()
    {
        RemoveLeftovers();
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture))).FullName;
        // SQLite may still hold a file open at exit; on Linux removing it is fine all the same.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        return folder;
    }

    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var owner = Path.GetFileName(folder)[Prefix.Length..];
            if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                TryDelete(folder);
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Another run's files, or one still being written: the next run tries again.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
