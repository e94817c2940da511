using System.Globalization;

namespace Bootcamp.Tracking;

/// <summary>
/// How a click is written in <c>events.kind</c>: its verdict and the index of the link, e.g. <c>click:1</c>.
/// The index is what tells "every link of the mail" from "one link, fetched twice".
/// </summary>
public static class ClickKinds
{
    /// <summary>A person's click: counted on the lesson.</summary>
    public const string Counted = "click:";

    /// <summary>A HEAD request or a known scanner agent: never counted.</summary>
    public const string Scanner = "scanner-click:";

    /// <summary>Looked like a person's, then turned out to be part of a scanner's burst over every link.</summary>
    public const string Burst = "scanner-burst:";

    public static string Of(string verdict, int linkIndex) => verdict + linkIndex.ToString(CultureInfo.InvariantCulture);

    /// <summary>The link index of a click event of any verdict; false for other events ("done").</summary>
    public static bool TryReadIndex(string kind, out int linkIndex)
    {
        linkIndex = -1;
        var colon = kind.IndexOf(':');
        return colon > 0
               && kind.AsSpan(0, colon + 1) is var verdict
               && (verdict.SequenceEqual(Counted) || verdict.SequenceEqual(Scanner) || verdict.SequenceEqual(Burst))
               && int.TryParse(kind.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out linkIndex);
    }
}
