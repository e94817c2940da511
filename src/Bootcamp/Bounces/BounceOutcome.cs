namespace Bootcamp.Bounces;

/// <summary>What became of one message of the bounce mailbox.</summary>
public enum BounceOutcome
{
    /// <summary>Not a delivery or feedback report, or one with nothing to act on: left for a person to read.</summary>
    NotAReport,
    /// <summary>A report naming no lesson of ours (a confirmation's bounce, a forged return path): left for a person.</summary>
    Unmatched,
    /// <summary>Matched to its lesson and applied (or, for delays, deliberately ignored): done with.</summary>
    Applied,
}
