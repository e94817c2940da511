using System.Text;
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
    private readonly RazorLightReference _razorLight = new(templates.Renderer.Compiled);

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
        var compiled = templates.Renderer.Compiled;
        var html = Encoding.UTF8.GetString(await compiled.RenderHtmlAsync(email + TemplateCompiler.Extension, model));
        var text = Encoding.UTF8.GetString(await compiled.RenderTextAsync(email + TemplateRenderer.TextSuffix + TemplateCompiler.Extension, model));

        var razorLightHtml = await _razorLight.RenderAsync(email + TemplateCompiler.Extension, model, text: false);
        var razorLightText = await _razorLight.RenderAsync(email + TemplateRenderer.TextSuffix + TemplateCompiler.Extension, model, text: true);

        Assert.True(razorLightHtml.Length > 500, $"{email}: RazorLight rendered only {razorLightHtml.Length} characters of HTML");
        Assert.True(razorLightText.Length > 500, $"{email}: RazorLight rendered only {razorLightText.Length} characters of text");
        Assert.Equal(AsUtf8(razorLightHtml), html);
        // The host tidies a text body's whitespace after rendering (PlainText), whichever renderer made it.
        Assert.Equal(AsUtf8(PlainText.Tidy(razorLightText, new StringBuilder()).ToString()), text);
    }

    // What the body becomes as UTF-8, the form the host renders to (a lone surrogate in a name becomes U+FFFD).
    private static string AsUtf8(string body) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(body));
}
