using System.Text;
using Bootcamp.Domain;
using Bootcamp.Operations;
using Bootcamp.Persistence;

namespace Bootcamp.Admin.Accounts;

/// <summary>
/// <c>admin add &lt;email&gt; [--role operator]</c>: creates or updates an admin, the password read from stdin (without
/// echo at a terminal, one line when piped), so the first admin needs no password in configuration. Viewer unless
/// <c>--role operator</c>. Any other argument is configuration, as for the server (<c>--Storage:Provider=Postgres</c>).
/// </summary>
public static class AdminCommand
{
    public const string Name = "admin";
    private const string Usage = "usage: admin add <email> [--role viewer|operator]  (the password is read from stdin)";

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter errors)
    {
        if (args is not [Name, "add", var email, .. var rest] || email.StartsWith("--", StringComparison.Ordinal))
        {
            await errors.WriteLineAsync(Usage);
            return 64;
        }
        var role = AdminRoles.Viewer;
        var configuration = new List<string>();
        for (var i = 0; i < rest.Length; i++)
        {
            string? named = rest[i] == "--role" ? (i + 1 < rest.Length ? rest[++i] : "") : rest[i].StartsWith("--role=", StringComparison.Ordinal) ? rest[i]["--role=".Length..] : null;
            if (named is null)
            {
                configuration.Add(rest[i]);
            }
            else if (AdminRoles.Parse(named) is { } parsed)
            {
                role = parsed;
            }
            else
            {
                await errors.WriteLineAsync($"role: '{named}' is not a role; use {string.Join(" or ", AdminRoles.All)}");
                return 1;
            }
        }
        if (!EmailAddress.TryNormalize(email, out var address, out var error))
        {
            await errors.WriteLineAsync($"email: {error}");
            return 1;
        }
        var password = await ReadPasswordAsync(input, errors);
        if (AccountEndpoints.PasswordProblem(password) is { } problem)
        {
            await errors.WriteLineAsync($"password: {problem}");
            return 1;
        }
        try
        {
            // The whole host is built for its configuration and services, and prepared as far as the schema; it does not serve.
            // Warnings and errors go to stderr: stdout carries the one line a script may read.
            await using var app = BootcampApp.Build([.. configuration, "--Logging:LogLevel:Default=Warning"], b =>
                b.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            await app.Services.PrepareDatabaseAsync();
            await using var scope = app.Services.CreateAsyncScope();
            var change = await scope.ServiceProvider.GetRequiredService<AdminAccounts>().SetAsync(address, password!, role, CancellationToken.None);
            await output.WriteLineAsync($"Admin {AdminAccounts.KeyOf(address)} {(change == AccountChange.Created ? "created" : "updated")} as {role}.");
            return 0;
        }
        catch (Exception e) when (OperationsModule.DescribeStartupFailure(e) is { } line)
        {
            await errors.WriteLineAsync(line);
            return 2;
        }
    }

    /// <summary>At a terminal, typed without echo; from a pipe or a file, the first line.</summary>
    private static async Task<string?> ReadPasswordAsync(TextReader input, TextWriter errors)
    {
        if (Console.IsInputRedirected || !ReferenceEquals(input, Console.In))
        {
            return await input.ReadLineAsync();
        }
        await errors.WriteAsync("Password: ");
        var typed = new StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
        await errors.WriteLineAsync();
        return typed.ToString();
    }
}
