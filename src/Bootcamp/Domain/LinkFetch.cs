namespace Bootcamp.Domain;

/// <summary>One fetch of a mail's tracked link, by anyone: which link (its index in the mail) and when.</summary>
public readonly record struct LinkFetch(int LinkIndex, DateTimeOffset At);
