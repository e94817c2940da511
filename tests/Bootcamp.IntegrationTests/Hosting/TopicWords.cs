namespace Bootcamp.IntegrationTests.Hosting;

/// <summary>
/// Words that name the course's subject to whoever glances at a screen or an inbox: what neutral and discreet mail
/// and pages must not show. Matched as parts of words, ignoring case ("betray" catches "betrayal").
/// </summary>
public static class TopicWords
{
    public static readonly IReadOnlyList<string> All =
        ["infidel", "unfaithful", "affair", "cheat", "betray", "adulter", "bootcamp", "surviv", "partner", "spouse", "divorc", "trust", "hurt"];

    /// <summary>The topic words <paramref name="text"/> contains.</summary>
    public static IReadOnlyList<string> In(string text) => [.. All.Where(word => text.Contains(word, StringComparison.OrdinalIgnoreCase))];
}
