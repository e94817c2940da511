using Bootcamp.Lessons;

namespace Bootcamp.UnitTests.Lessons;

/// <summary>The repository's real templates/ folder and one renderer compiled from it for the whole test run.</summary>
public sealed class Templates : IAsyncLifetime
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Directory { get; } = TemplateRenderer.LocateTemplatesDirectory(RepositoryRoot);

    public TemplateRenderer Renderer { get; } = new(Directory);

    public Task InitializeAsync() => Renderer.CompileAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bootcamp.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Bootcamp.sln above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class TemplatesCollection : ICollectionFixture<Templates>
{
    public const string Name = "Email templates";
}
