namespace Bootcamp.Courses;

/// <summary>How long a pause may be (the contract's 1–30 days), for a reader on their page and an admin alike, and the length both pages offer first.</summary>
public static class PauseDays
{
    public const int Min = 1;
    public const int Max = 30;
    public const int Offered = 3;
}
