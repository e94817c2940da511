namespace Bootcamp.Tracking;

/// <summary>Where a click token leads, how many content links its email has, and whether its reader lets clicks be counted.</summary>
public sealed record ClickTarget(string Url, int LinkCount, bool Tracked);
