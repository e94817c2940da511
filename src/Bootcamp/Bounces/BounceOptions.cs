namespace Bootcamp.Bounces;

/// <summary>The bounce mailbox and the return path that leads bounces there.</summary>
public sealed class BounceOptions
{
    public const string Section = "Bounces";

    public BounceImapOptions Imap { get; set; } = new();

    /// <summary>How often the bounce mailbox is read.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Envelope sender of each lesson, <c>{id}</c> standing for the lesson (VERP). Empty: the From address.</summary>
    public string? ReturnPathTemplate { get; set; }

    public bool PollerEnabled => !string.IsNullOrWhiteSpace(Imap.Host);

    public bool VerpEnabled => !string.IsNullOrWhiteSpace(ReturnPathTemplate);
}
