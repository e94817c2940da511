using System.Reflection;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>Where the host's build output and the repository (its content root) are.</summary>
internal static class HostAssembly
{
    /// <summary>The folder holding Bootcamp.sln, appsettings.json and templates/.</summary>
    public static string RepositoryRoot => Hosting.RepositoryRoot.Path;

    /// <summary>The configuration this assembly was built in; the ProjectReference built the host in the same one.</summary>
    public static string Configuration { get; } =
        typeof(HostAssembly).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The build output's Bootcamp.dll, or <c>BOOTCAMP_BENCH_HOST</c>'s (a published folder's, say).</summary>
    public static string Path { get; } =
        Environment.GetEnvironmentVariable("BOOTCAMP_BENCH_HOST") is { Length: > 0 } published
            ? System.IO.Path.GetFullPath(published)
            : System.IO.Path.Combine(RepositoryRoot, "src", "Bootcamp", "bin", Configuration, "net10.0", "Bootcamp.dll");
}
