using Bootcamp.Domain;
using Bootcamp.Lessons;
using Bootcamp.Lessons.Rendering;
using CsCheck;

namespace Bootcamp.UnitTests.Lessons;

/// <summary>
/// The host renders through <see cref="PageRenderer"/>, not RazorLight's renderer: every email must come out
/// as RazorLight itself renders it, character for character, layouts, sections and includes included.
/// </summary>
[Collection(TemplatesCollection.Name)]
public sealed class PageRendererTests(Templates templates)
{
    private static readonly string[] Emails =
        [TemplateRenderer.ConfirmTemplate, .. Enumerable.Range(1, Campaign.LessonCount).Select(TemplateRenderer.LessonTemplate), TemplateRenderer.FinishedTemplate];

    [Fact]
    public async Task Every_email_for_every_sample_reader_renders_as_RazorLight_renders_it()
    {
        var compared = 0;
        foreach (var email in Emails)
        {
            foreach (var model in SampleModels.For(email))
            {
                await AssertSameAsRazorLightAsync(email, model);
                compared++;
            }
        }
        Assert.Equal(Emails.Length * 2, compared);
    }

    // Names that HTML must encode, that the layout trims or replaces, and text beyond ASCII; every stage and day.
    private static readonly Gen<string?> FirstName = Gen.Frequency(
        (1, Gen.Const((string?)null)),
        (1, Gen.OneOf<string?>("", "   ", " Sam ", "<b>Sam</b>", "A & B", "\"Jo\" O'Neil", "José", "Zoë 😀", "Ωμέγα", "a\u200Db")),
        (3, Gen.Char["abcXYZ<>&\"' éø😀\t"].Array[1, 24].Select(chars => (string?)new string(chars))));

    private static readonly Gen<LessonEmailModel> Lessons = Gen.Select(
        Gen.Int[1, Campaign.LessonCount], FirstName, Gen.Bool, Gen.Bool, Gen.Frequency((1, Gen.Const((Stage?)null)), (3, Gen.Enum<Stage>().Select(s => (Stage?)s))), Gen.Bool,
        (day, name, discreet, tracked, stage, noteFollows) => new LessonEmailModel(tracked ? index => $"https://b.example/t/c/tok{index}&x" : null)
        {
            Day = day,
            FirstName = name,
            Discreet = discreet,
            SenderName = "Sender <s@example.org>",
            PostalAddress = "1 Street & Co, Town",
            BaseUrl = "https://b.example",
            SendAtLocal = "07:30",
            TimeZone = "America/Chicago",
            DoneUrl = "https://b.example/d/tok-d",
            UnsubscribeUrl = "https://b.example/u/tok-u",
            ManageUrl = "https://b.example/m/tok-m",
            PixelUrl = tracked ? "https://b.example/t/o/tok-o" : null,
            CrisisLine = "988 <call> & text",
            FinishedNoteFollows = noteFollows,
            Stage = stage,
        });

    [Fact]
    public Task Generated_readers_lessons_render_as_RazorLight_renders_them() =>
        Lessons.SampleAsync(model => AssertSameAsRazorLightAsync(TemplateRenderer.LessonTemplate(model.Day), model), iter: 300);

    private async Task AssertSameAsRazorLightAsync(string email, EmailModel model)
    {
        var compiled = templates.Renderer.CompiledTemplates;
        foreach (var (file, text) in new[] { (email + TemplateCompiler.Extension, false), (email + TemplateRenderer.TextSuffix + TemplateCompiler.Extension, true) })
        {
            var expected = await compiled.RenderWithRazorLightAsync(file, model, text);
            var actual = await compiled.RenderUntidiedAsync(file, model, text);
            Assert.True(expected.Length > 500, $"{file}: RazorLight rendered only {expected.Length} characters");
            Assert.Equal(expected, actual);
        }
    }
}
