namespace Bootcamp.Bounces;

/// <summary>The mailbox DSNs and complaint reports arrive in (<c>Bounces:Imap:*</c>).</summary>
public sealed class BounceImapOptions
{
    /// <summary>Empty: no mailbox is polled.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 993;

    public ImapSecurity Security { get; set; } = ImapSecurity.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string Folder { get; set; } = "INBOX";

    /// <summary>How long one IMAP command may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
