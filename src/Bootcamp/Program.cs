using Bootcamp;
using Bootcamp.Admin.Accounts;
using Bootcamp.Lessons.Rendering;
using Bootcamp.Operations;

if (args is [CompileTemplatesCommand.Name, ..])
{
    // The child process the server starts to compile its templates, never a server itself.
    return await CompileTemplatesCommand.RunAsync(args);
}

if (args is [AdminCommand.Name, ..])
{
    // An operator's command (admin add <email>): changes the database and exits, never serves.
    return await AdminCommand.RunAsync(args, Console.In, Console.Out, Console.Error);
}

try
{
    await using var app = BootcampApp.Build(args);
    await app.PrepareAsync();   // configuration, migrations, job schema, templates, admin account
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (OperationsModule.DescribeStartupFailure(e) is { } line)
{
    // One line naming the key, not a stack trace: the operator has one thing to fix.
    await Console.Error.WriteLineAsync(line);
    return 2;
}

public partial class Program;
