namespace Bootcamp.Tracking;

/// <summary>Where a click token leads, and how many content links its email has.</summary>
public sealed record ClickTarget(string Url, int LinkCount);
