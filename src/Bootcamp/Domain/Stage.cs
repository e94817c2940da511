namespace Bootcamp.Domain;

/// <summary>
/// "Where are you now?": the reader's optional answer on the sign-up or manage page. It swaps one paragraph
/// in Days 1, 3 and 7 and nothing else; it never reaches a header, a subject or a link.
/// </summary>
public enum Stage
{
    JustFoundOut,
    Weeks,
    Months,
    NewRevelation,
}

/// <summary>The names a <see cref="Stage"/> has on the wire, in forms and in the database.</summary>
public static class Stages
{
    public const int MaxLength = 16;

    private static readonly string[] Names = ["just-found-out", "weeks", "months", "new-revelation"];

    public static IEnumerable<Stage> All => Enum.GetValues<Stage>();

    public static string Name(Stage stage) => Names[(int)stage];

    /// <summary>The stage a name stands for; null for anything else.</summary>
    public static Stage? Parse(string? name)
    {
        var index = Array.IndexOf(Names, name);
        return index < 0 ? null : (Stage)index;
    }

    public static string Expected => string.Join(", ", Names);
}
