using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>
/// The build compiles the repository's templates beside Bootcamp.dll: a host started from the build output with
/// those templates starts no compiler process, so nothing sits beside it at start-up (the peak of its memory).
/// </summary>
public sealed class TemplatesCompiledAheadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_host_from_the_build_output_loads_the_templates_compiled_at_build_and_starts_no_child()
    {
        var storage = await TestStorage.CreateAsync("Sqlite");
        await using var host = HostProcess.Start([
            .. storage.Arguments().Select(a => a.TrimStart('-')),
            "Campaign:PostalAddress=1 Test Street, Testville", "Smtp:Host=",
            "Logging:LogLevel:Bootcamp.Lessons.TemplateRenderer=Information",
        ]);

        await host.WaitReadyAsync(TimeSpan.FromSeconds(120), CancellationToken.None);

        output.WriteLine(host.RecentOutput());
        Assert.Contains("loaded as compiled at build", host.RecentOutput());
        Assert.Empty(host.Children);
    }
}
