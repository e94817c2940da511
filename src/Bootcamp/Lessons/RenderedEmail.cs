namespace Bootcamp.Lessons;

public sealed record RenderedEmail(string Subject, string Preheader, string Html, string Text);
