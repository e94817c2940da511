using System.Net.Sockets;
using Bootcamp.Persistence;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using Quartz;

namespace Bootcamp.Bounces;

/// <summary>
/// Every <c>Bounces:PollInterval</c>: reads the unseen messages of the bounce mailbox, applies each
/// DSN or complaint to its lesson, then deletes it (flag \Deleted, UID EXPUNGE). What it cannot use
/// (auto-replies, reports naming no lesson of ours, messages that fail to parse) is flagged \Seen and
/// left for a person. On PostgreSQL one process at a time polls (an advisory lock); the others skip.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ImapBouncePollJob(
    IOptions<BounceOptions> options,
    BounceProcessor processor,
    ReturnPaths returnPaths,
    StorageSettings storage,
    DatabaseOutage outage,
    ILogger<ImapBouncePollJob> logger) : IJob
{
    // Keeps one run short; the rest waits for the next tick.
    private const int MaxMessagesPerPoll = 500;

    public async Task Execute(IJobExecutionContext context)
    {
        try
        {
            await PollAsync(context.CancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ImapProtocolException or ImapCommandException or AuthenticationException
                                      or SslHandshakeException or ServiceNotConnectedException or FolderNotFoundException or TimeoutException)
        {
            // The mailbox is unreachable or refuses us: nothing is lost, every unseen message waits for the next tick.
            logger.LogWarning(e, "Bounce mailbox {Host}:{Port} could not be read: {Reason}", options.Value.Imap.Host, options.Value.Imap.Port, e.Message);
        }
        catch (Exception e) when (outage.Noted(e))
        {
            // The database is away: logged once as an outage; unapplied reports stay unseen for the next tick.
        }
    }

    /// <summary>One poll; returns how many messages were applied and deleted.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        await using var turn = await TakeTurnAsync(cancellationToken);
        if (turn is null)
        {
            return 0;
        }
        var imap = options.Value.Imap;
        using var client = new ImapClient { Timeout = (int)imap.Timeout.TotalMilliseconds };
        await ConnectAsync(client, imap, cancellationToken);
        var folder = string.Equals(imap.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? client.Inbox
            : await client.GetFolderAsync(imap.Folder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var unseen = await folder.SearchAsync(SearchQuery.NotSeen.And(SearchQuery.NotDeleted), cancellationToken);
        var applied = new List<UniqueId>();
        foreach (var uid in unseen.Take(MaxMessagesPerPoll))
        {
            if (await ProcessAsync(folder, uid, cancellationToken))
            {
                applied.Add(uid);
            }
        }
        if (applied.Count > 0)
        {
            await ExpungeAsync(client, folder, applied, cancellationToken);
            logger.LogInformation("Applied and deleted {Count} bounce reports", applied.Count);
        }
        await client.DisconnectAsync(quit: true, cancellationToken);
        return applied.Count;
    }

    /// <summary>True when the message was applied and may go; otherwise it is flagged \Seen and stays.</summary>
    private async Task<bool> ProcessAsync(IMailFolder folder, UniqueId uid, CancellationToken cancellationToken)
    {
        BounceOutcome outcome;
        try
        {
            var message = await folder.GetMessageAsync(uid, cancellationToken);
            outcome = await processor.ApplyAsync(DsnParser.Parse(message, returnPaths.Codec), cancellationToken);
        }
        catch (Exception e) when (e is FormatException or ParseException or ArgumentException or NotSupportedException)
        {
            logger.LogWarning(e, "Bounce mailbox message {Uid} could not be read; flagged seen and left", uid);
            outcome = BounceOutcome.NotAReport;
        }
        // A database failure propagates: the message stays unseen and the next tick tries again.
        // Each flag is stored at once, so a run cut short never redoes what it finished.
        var flags = outcome == BounceOutcome.Applied ? MessageFlags.Deleted | MessageFlags.Seen : MessageFlags.Seen;
        await folder.AddFlagsAsync(uid, flags, silent: true, cancellationToken);
        return outcome == BounceOutcome.Applied;
    }

    private static async Task ExpungeAsync(ImapClient client, IMailFolder folder, IList<UniqueId> uids, CancellationToken cancellationToken)
    {
        if (client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            // UID EXPUNGE removes only what this run deleted, not what a person marked in the same folder.
            await folder.ExpungeAsync(uids, cancellationToken);
        }
        else
        {
            await folder.ExpungeAsync(cancellationToken);
        }
    }

    private static async Task ConnectAsync(ImapClient client, BounceImapOptions imap, CancellationToken cancellationToken)
    {
        // As with SMTP: MailKit's ConnectAsync(host, port) leaves Nagle on, and every command would wait on a delayed ACK.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(imap.Host!, imap.Port, cancellationToken);
            await client.ConnectAsync(socket, imap.Host!, imap.Port, SecureOptions(imap.Security), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        await client.AuthenticateAsync(imap.UserName!, imap.Password ?? string.Empty, cancellationToken);
    }

    private static SecureSocketOptions SecureOptions(ImapSecurity security) => security switch
    {
        ImapSecurity.None => SecureSocketOptions.None,
        ImapSecurity.StartTls => SecureSocketOptions.StartTls,
        ImapSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    /// <summary>
    /// Quartz runs on its RAM store here, so every process fires this job. Reports are applied
    /// idempotently, but two processes reading one mailbox only duplicate work: on PostgreSQL a
    /// session advisory lock lets one through and the rest skip this tick. SQLite is one process.
    /// </summary>
    private async Task<IAsyncDisposable?> TakeTurnAsync(CancellationToken cancellationToken)
    {
        if (storage.Provider != StorageProvider.Postgres)
        {
            return NoLock.Instance;
        }
        var connection = new NpgsqlConnection(storage.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({AdvisoryLocks.BouncePoll})", connection);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new AdvisoryLock(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        logger.LogDebug("Another process is polling the bounce mailbox; skipping this tick");
        return null;
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLocks.BouncePoll})", connection);
                await unlock.ExecuteScalarAsync(CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // A broken connection has released the lock with its session.
            }
            await connection.DisposeAsync();
        }
    }
}
