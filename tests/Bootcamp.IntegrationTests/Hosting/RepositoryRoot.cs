namespace Bootcamp.IntegrationTests.Hosting;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Bootcamp.sln, appsettings.json and templates/: the service's content root.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Bootcamp.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Bootcamp.sln not found above " + AppContext.BaseDirectory);
    }
}
