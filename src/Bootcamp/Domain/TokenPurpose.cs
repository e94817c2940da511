namespace Bootcamp.Domain;

/// <summary>One purpose per kind of link: a token made for one never opens another.</summary>
public enum TokenPurpose
{
    Confirm,
    Open,
    Click,
    Done,
    Unsubscribe,
}
