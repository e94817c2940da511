namespace Bootcamp.Lessons;

/// <summary>One day's lesson. Content links go through <see cref="Link"/> so the sender can track them.</summary>
public sealed class LessonEmailModel(Func<int, string>? trackedLink) : EmailModel
{
    private readonly List<string> _links = [];

    public required int Day { get; init; }
    public int TotalDays => Domain.Campaign.LessonCount;

    /// <summary>The reader's send time, e.g. "08:00".</summary>
    public required string SendAtLocal { get; init; }

    /// <summary>The reader's IANA zone, e.g. "Europe/Paris".</summary>
    public required string TimeZone { get; init; }

    /// <summary>"Where are you now?", if the reader said: picks one paragraph of Days 1, 3 and 7 (templates/_Stage.cshtml).</summary>
    public Domain.Stage? Stage { get; init; }

    /// <summary>{PublicBaseUrl}/d/{token}: the "I did today's step" page.</summary>
    public required string DoneUrl { get; init; }

    /// <summary>{PublicBaseUrl}/u/{token}: the unsubscribe page.</summary>
    public required string UnsubscribeUrl { get; init; }

    /// <summary>{PublicBaseUrl}/m/{token}: the reader's own page to pause, move, skip or leave.</summary>
    public required string ManageUrl { get; init; }

    /// <summary>{PublicBaseUrl}/t/o/{token}; null for readers who opted out of tracking.</summary>
    public string? PixelUrl { get; init; }

    /// <summary>The crisis line for the safety box (Campaign:CrisisLine).</summary>
    public required string CrisisLine { get; init; }

    /// <summary>Campaign:FinishedNote: the last lesson says a closing note follows instead of "nothing more".</summary>
    public bool FinishedNoteFollows { get; init; }

    /// <summary>Content links in the order the template first used them; stored with the lesson.</summary>
    public IReadOnlyList<string> Links => _links;

    /// <summary>
    /// Registers a content link and returns the address to put in the email: the tracked
    /// {PublicBaseUrl}/t/c/{token} URL, or the link itself for untracked readers. The same URL used
    /// twice (HTML and text part) gets the same token.
    /// </summary>
    public string Link(string url)
    {
        var index = _links.IndexOf(url);
        if (index < 0)
        {
            index = _links.Count;
            _links.Add(url);
        }
        return trackedLink is null ? url : trackedLink(index);
    }
}
