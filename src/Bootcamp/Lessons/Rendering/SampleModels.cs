using System.Diagnostics;

namespace Bootcamp.Lessons.Rendering;

/// <summary>Readers of every kind, for the start-up render that proves each template runs.</summary>
internal static class SampleModels
{
    private const string BaseUrl = "https://bootcamp.example";

    public static IEnumerable<EmailModel> For(string template)
    {
        foreach (var (firstName, discreet, tracked) in new[] { ("Sam", false, true), ((string?)null, true, false) })
        {
            if (template == TemplateRenderer.ConfirmTemplate)
            {
                yield return new ConfirmEmailModel
                {
                    FirstName = firstName,
                    Discreet = discreet,
                    SenderName = "Sample sender",
                    PostalAddress = "1 Sample Street, Sampletown",
                    BaseUrl = BaseUrl,
                    ConfirmUrl = $"{BaseUrl}/confirm/sample",
                    ExpiresIn = "2 days",
                };
                continue;
            }
            if (template == TemplateRenderer.FinishedTemplate)
            {
                yield return new FinishedEmailModel
                {
                    FirstName = firstName,
                    Discreet = discreet,
                    SenderName = "Sample sender",
                    PostalAddress = "1 Sample Street, Sampletown",
                    BaseUrl = BaseUrl,
                    CrisisLine = "988 (call or text, in the US)",
                };
                continue;
            }
            yield return new LessonEmailModel(tracked ? index => $"{BaseUrl}/t/c/sample{index}" : null)
            {
                Day = int.Parse(template["Day".Length..], System.Globalization.CultureInfo.InvariantCulture),
                FirstName = firstName,
                Discreet = discreet,
                SenderName = "Sample sender",
                PostalAddress = "1 Sample Street, Sampletown",
                BaseUrl = BaseUrl,
                SendAtLocal = "08:00",
                TimeZone = "Europe/Paris",
                DoneUrl = $"{BaseUrl}/d/sample",
                UnsubscribeUrl = $"{BaseUrl}/u/sample",
                ManageUrl = $"{BaseUrl}/m/sample",
                PixelUrl = tracked ? $"{BaseUrl}/t/o/sample" : null,
                CrisisLine = "988 (call or text, in the US)",
                FinishedNoteFollows = tracked,
                Stage = tracked ? null : Domain.Stage.NewRevelation,
            };
        }
    }

    /// <summary>"file(line): error: what" for an exception thrown while a template ran, from its #line-mapped stack.</summary>
    public static string Describe(string directory, string template, Exception exception)
    {
        var frame = new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName()?.EndsWith(TemplateCompiler.Extension, StringComparison.Ordinal) == true);
        var where = frame is null
            ? Path.Combine(directory, template + TemplateCompiler.Extension)
            : $"{Path.Combine(directory, Path.GetFileName(frame.GetFileName()!))}({frame.GetFileLineNumber()})";
        return $"{where}: error: rendering a sample {template} email threw {exception.GetType().Name}: {exception.Message}";
    }
}
