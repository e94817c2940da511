using System.Diagnostics;
using System.Net;
using Bootcamp.IntegrationTests.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>`admin add` run as the built service, as an operator would on a fresh database, the password on stdin.</summary>
public sealed class AdminCommandTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Admin_add_creates_the_first_admin_from_stdin_and_a_second_run_updates_it(string provider)
    {
        var storage = await TestStorage.CreateAsync(provider);

        var created = await RunAsync(storage, "first password\n", "admin", "add", "First@Example.org", "--role", "operator");
        var updated = await RunAsync(storage, "second password\n", "admin", "add", "first@example.org", "--role=operator");
        var viewer = await RunAsync(storage, "viewer password\n", "admin", "add", "viewer@example.org");
        await using var host = await TestHost.StartAsync(storage, smtpPort: null);
        using var oldPassword = await AdminClient.PostLoginAsync(AdminClient.Create(host), "first@example.org", "first password");
        using var signedIn = await AdminClient.SignInAsync(host, "first@example.org", "second password");
        using var audit = await signedIn.GetAsync("/admin/audit");
        var roles = await host.QueryAsync(db => db.Admins.OrderBy(a => a.Email).Select(a => a.Email + " " + a.Role).ToListAsync());

        Assert.Equal((0, "Admin first@example.org created as operator.", ""), created);
        Assert.Equal((0, "Admin first@example.org updated as operator.", ""), updated);
        Assert.Equal((0, "Admin viewer@example.org created as viewer.", ""), viewer);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Equal([$"{TestHost.AdminEmail} operator", "first@example.org operator", "viewer@example.org viewer"], roles);
    }

    [Theory]
    [InlineData("not an address\n", "email: ", "admin", "add", "nobody-at-example.org")]
    [InlineData("\n", "password: a password is required", "admin", "add", "someone@example.org")]
    [InlineData("", "password: a password is required", "admin", "add", "someone@example.org")]
    [InlineData("short\n", "password: at least 8 characters", "admin", "add", "someone@example.org")]
    [InlineData("long enough 1\n", "role: 'root' is not a role; use viewer or operator", "admin", "add", "someone@example.org", "--role", "root")]
    [InlineData("long enough 1\n", "usage: admin add <email>", "admin", "remove", "someone@example.org")]
    public async Task Admin_add_refuses_bad_input_with_one_line_naming_it_and_a_failing_exit(string stdin, string error, params string[] args)
    {
        var storage = await TestStorage.CreateAsync("Sqlite");

        var (exit, output, errors) = await RunAsync(storage, stdin, args);

        Assert.NotEqual(0, exit);
        Assert.Equal("", output);
        Assert.StartsWith(error, errors);
        Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The built service (Bootcamp.dll beside the tests) in a process of its own, with the repository as content root.</summary>
    private static async Task<(int Exit, string Output, string Errors)> RunAsync(TestStorage storage, string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args.Concat([$"--contentRoot={RepositoryRoot.Path}", .. storage.Arguments()]))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, (await output).Trim(), (await errors).Trim());
    }
}
