using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>
/// A real IMAP server: Dovecot from Debian's dovecot-imapd, on a free loopback port, with its own
/// configuration, one passwd-file user and a Maildir in a fresh temporary directory. It never runs
/// as root: a root test host starts it as nobody. A watchdog stops it if the test host dies first.
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    public const string UserName = "bounces";
    public const string Password = "bounce-mailbox-secret";

    private const string DirectoryPrefix = "bootcamp-dovecot-";
    private const int StartAttempts = 3;
    private const int SigTerm = 15;

    // Arguments: the owning process id, the server directory. Detached from the test host, it outlives it.
    private const string WatchdogScript = """
        exec </dev/null >/dev/null 2>&1
        while kill -0 "$1"; do sleep 0.5; done
        pid=$(head -n 1 "$2/run/master.pid")
        if [ -n "$pid" ] && grep -qs -- "$2" "/proc/$pid/cmdline"; then kill -TERM "$pid"; sleep 1; fi
        rm -rf -- "$2"
        """;

    private readonly string _directory;
    private int _disposed;

    private DovecotServer(string directory) => _directory = directory;

    public int Port { get; private set; }

    public string LogFile => Path.Combine(_directory, "dovecot.log");

    private string ConfigFile => Path.Combine(_directory, "dovecot.conf");

    private string PidFile => Path.Combine(_directory, "run", "master.pid");

    // Root's TMPDIR may be private to root; nobody must reach the directory.
    private static string TempRoot => Environment.IsPrivilegedProcess ? "/tmp" : Path.GetTempPath();

    public static async Task<DovecotServer> StartAsync()
    {
        var dovecot = FindProgram("dovecot") ?? throw new InvalidOperationException(
            "Dovecot is not installed: apt-get install -y dovecot-imapd (.ci/run does it).");
        var directory = Path.Combine(TempRoot, DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        foreach (var sub in new[] { "run", "state", "Maildir", "home" })
        {
            Directory.CreateDirectory(Path.Combine(directory, sub));
        }
        Run("setsid", ["-f", "sh", "-c", WatchdogScript, "bootcamp-dovecot-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), directory]);
        var server = new DovecotServer(directory);
        var started = false;
        try
        {
            for (var attempt = 1; !started; attempt++)
            {
                server.Port = LoopbackPort.Free();
                server.WriteConfiguration();
                if (Environment.IsPrivilegedProcess)
                {
                    Run("chown", ["-R", "nobody:nogroup", directory]);
                    Run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", dovecot, "-c", server.ConfigFile]);
                }
                else
                {
                    Run(dovecot, ["-c", server.ConfigFile]);
                }
                started = await server.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(20));
                if (!started && (attempt == StartAttempts || !server.Log().Contains("Address already in use", StringComparison.Ordinal)))
                {
                    throw new InvalidOperationException($"Dovecot did not start on 127.0.0.1:{server.Port}. Its log:\n{server.Log()}");
                }
            }
            return server;
        }
        finally
        {
            if (!started)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Puts a message in the INBOX over IMAP, as delivery would (no flags: unseen).</summary>
    public async Task AppendAsync(MimeMessage message)
    {
        using var client = await ConnectAsync();
        await client.Inbox.AppendAsync(message, MessageFlags.None);
        await client.DisconnectAsync(quit: true);
    }

    /// <summary>What the INBOX holds now, read over a connection of its own.</summary>
    public async Task<IReadOnlyList<(string? MessageId, MessageFlags Flags)>> InboxAsync()
    {
        using var client = await ConnectAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = await client.Inbox.SearchAsync(SearchQuery.All);
        var summaries = uids.Count == 0 ? [] : await client.Inbox.FetchAsync(uids, MessageSummaryItems.Flags | MessageSummaryItems.Envelope);
        await client.DisconnectAsync(quit: true);
        return [.. summaries.Select(s => (s.Envelope?.MessageId, s.Flags ?? MessageFlags.None))];
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (MasterPid() is { } pid)
        {
            _ = Kill(pid, SigTerm);
            var waited = Stopwatch.StartNew();
            while (MasterPid() == pid && IsOurs(pid) && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The watchdog removes it when the test host exits.
        }
    }

    public override string ToString() => $"Dovecot on 127.0.0.1:{Port} ({_directory})";

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient { Timeout = 10_000 };
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(UserName, Password);
        return client;
    }

    private void WriteConfiguration()
    {
        var (user, group, uid, gid) = Environment.IsPrivilegedProcess
            ? ("nobody", "nogroup", "65534", "65534")
            : (Environment.UserName, Output("id", "-gn"), Output("id", "-u"), Output("id", "-g"));
        var passwd = Path.Combine(_directory, "users");
        File.WriteAllText(passwd, $"{UserName}:{{PLAIN}}{Password}:{uid}:{gid}::{Path.Combine(_directory, "home")}\n");
        File.WriteAllText(ConfigFile, $$"""
            # Written by the test fixture: nothing from /etc/dovecot is read.
            base_dir = {{Path.Combine(_directory, "run")}}
            state_dir = {{Path.Combine(_directory, "state")}}
            log_path = {{LogFile}}
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            default_internal_user = {{user}}
            default_internal_group = {{group}}
            default_login_user = {{user}}
            first_valid_uid = 1
            mail_location = maildir:{{Path.Combine(_directory, "Maildir")}}
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{passwd}}
            }
            userdb {
              driver = static
              args = uid={{uid}} gid={{gid}} home={{Path.Combine(_directory, "home")}}
            }
            # Unprivileged: no chroot, and only the one listener.
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = {{Port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service anvil {
              chroot =
            }

            """);
    }

    private async Task<bool> WaitUntilAnsweringAsync(TimeSpan deadline)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < deadline)
        {
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, Port);
                var greeting = new byte[64];
                var read = await socket.ReceiveAsync(greeting);
                if (read > 0 && System.Text.Encoding.ASCII.GetString(greeting, 0, read).StartsWith("* OK", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            if (File.Exists(PidFile) && MasterPid() is null && Log().Contains("Fatal", StringComparison.Ordinal))
            {
                return false;
            }
            await Task.Delay(50);
        }
        return false;
    }

    private string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log written)";

    // Dovecot removes its pid file as it exits: between a check that it exists and the read, it may be gone.
    private int? MasterPid()
    {
        string? first;
        try
        {
            first = File.ReadLines(PidFile).FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return int.TryParse(first, CultureInfo.InvariantCulture, out var pid) && IsOurs(pid) ? pid : null;
    }

    // A stale pid file may name a process id that now belongs to something else.
    private bool IsOurs(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(_directory, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? FindProgram(string name) =>
        new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);


    private static string Output(string program, params string[] arguments) => Run(program, arguments).Trim();

    private static string Run(string program, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }
        return stdout.Result;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
