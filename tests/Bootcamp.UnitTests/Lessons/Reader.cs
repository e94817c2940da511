using Bootcamp.Domain;
using Bootcamp.Lessons;

namespace Bootcamp.UnitTests.Lessons;

/// <summary>A kind of subscriber, and the models the sender would build for them.</summary>
public sealed record Reader(string Kind, string? FirstName, bool Discreet, bool Tracked, Stage? Stage = null)
{
    public const string BaseUrl = "https://bootcamp.example";
    public const string PostalAddress = "Bootcamp, 12 Example Street, Springfield, OR 97477, USA";
    public const string CrisisLine = "988 (call or text, in the US)";

    public static readonly Reader NormalTracked = new("normal, tracked", "Sam", Discreet: false, Tracked: true);
    public static readonly Reader NormalUntracked = new("normal, untracked", "Sam", Discreet: false, Tracked: false);
    public static readonly Reader DiscreetTracked = new("discreet, tracked", "Alex", Discreet: true, Tracked: true);
    public static readonly Reader DiscreetUntracked = new("discreet, untracked, no name", null, Discreet: true, Tracked: false);

    public static IReadOnlyList<Reader> All { get; } = [NormalTracked, NormalUntracked, DiscreetTracked, DiscreetUntracked];

    /// <summary>Readers who said where they are: every stage, for a normal and a discreet reader.</summary>
    public static IReadOnlyList<Reader> Staged { get; } =
    [
        .. Stages.All.SelectMany(stage => new[]
        {
            NormalTracked with { Kind = $"{NormalTracked.Kind}, {Stages.Name(stage)}", Stage = stage },
            DiscreetUntracked with { Kind = $"{DiscreetUntracked.Kind}, {Stages.Name(stage)}", Stage = stage },
        }),
    ];

    /// <summary>The days with a paragraph that depends on the stage (templates/_Stage.cshtml).</summary>
    public static IReadOnlyList<int> StagedDays { get; } = [1, 3, 7];

    public static Reader Find(string kind) => All.Concat(Staged).Single(r => r.Kind == kind);

    public static IEnumerable<int> Days => Enumerable.Range(1, Bootcamp.Domain.Campaign.LessonCount);

    public string SenderName => (Discreet ? new CampaignOptions().DiscreetFromAddress : new CampaignOptions().FromAddress).Name ?? "";

    public ConfirmEmailModel Confirm() => new()
    {
        FirstName = FirstName,
        Discreet = Discreet,
        SenderName = SenderName,
        PostalAddress = PostalAddress,
        BaseUrl = BaseUrl,
        ConfirmUrl = $"{BaseUrl}/confirm/CfDJ8confirm-token",
        ExpiresIn = "2 days",
    };

    public FinishedEmailModel Finished() => new()
    {
        FirstName = FirstName,
        Discreet = Discreet,
        SenderName = SenderName,
        PostalAddress = PostalAddress,
        BaseUrl = BaseUrl,
        CrisisLine = CrisisLine,
    };

    /// <summary>A lesson as the default settings build it (Campaign:FinishedNote on, unless told).</summary>
    public LessonEmailModel Lesson(int day, string timeZone = "America/New_York", bool finishedNoteFollows = true) =>
        new(Tracked ? index => $"{BaseUrl}/t/c/CfDJ8click-{day}-{index}" : null)
        {
            Day = day,
            FirstName = FirstName,
            Discreet = Discreet,
            SenderName = SenderName,
            PostalAddress = PostalAddress,
            BaseUrl = BaseUrl,
            SendAtLocal = "08:00",
            TimeZone = timeZone,
            Stage = Stage,
            DoneUrl = $"{BaseUrl}/d/CfDJ8done-{day}",
            UnsubscribeUrl = $"{BaseUrl}/u/CfDJ8unsubscribe",
            ManageUrl = $"{BaseUrl}/m/CfDJ8manage",
            PixelUrl = Tracked ? $"{BaseUrl}/t/o/CfDJ8open-{day}" : null,
            CrisisLine = CrisisLine,
            FinishedNoteFollows = finishedNoteFollows,
        };

    /// <summary>Where a link of a lesson leads: a tracked /t/c/ link is read back to the content link it stands for.</summary>
    public static string Target(string href, LessonEmailModel lesson)
    {
        var tracked = System.Text.RegularExpressions.Regex.Match(href, $@"^{System.Text.RegularExpressions.Regex.Escape(BaseUrl)}/t/c/CfDJ8click-{lesson.Day}-(\d+)$");
        return tracked.Success ? lesson.Links[int.Parse(tracked.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] : href;
    }

    public override string ToString() => Kind;
}
