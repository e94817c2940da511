namespace Bootcamp.Lessons.Rendering;

/// <summary>One or more email templates failed to compile or to render a sample; each error names file and line.</summary>
public sealed class TemplateCompilationFailedException(IReadOnlyList<string> errors, Exception? innerException = null)
    : Exception("Email templates are broken:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)), innerException)
{
    /// <summary>One line per error: "/app/templates/Day3.cshtml(12,5): error CS1002: ; expected" style.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
