namespace Bootcamp.Domain;

/// <summary>One purpose per kind of link: a token made for one never opens another.</summary>
public enum TokenPurpose
{
    Confirm,
    Open,
    Click,
    Done,
    Unsubscribe,
    /// <summary>The reader's own page for their course: pause, time, discretion, tracking, leave.</summary>
    Manage,
}
