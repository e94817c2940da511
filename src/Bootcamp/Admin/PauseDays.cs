namespace Bootcamp.Admin;

/// <summary>How long an admin may pause a reader (the contract's 1–30 days), and what the page offers first.</summary>
public static class PauseDays
{
    public const int Min = 1;
    public const int Max = 30;
    public const int Offered = 3;
}
