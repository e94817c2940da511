namespace Bootcamp.Lessons;

// TEMPORARY stand-in until the real renderer lands (not committed).
public sealed class TemplateRenderer(string templatesDirectory) : IEmailRenderer
{
    public string Directory { get; } = templatesDirectory;

    public Task CompileAllAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<RenderedEmail> RenderConfirmAsync(ConfirmEmailModel model) =>
        ValueTask.FromResult(new RenderedEmail("Confirm your sign-up", "One click", $"<p><a href=\"{model.ConfirmUrl}\">Confirm</a></p>", $"Confirm: {model.ConfirmUrl}"));

    public ValueTask<RenderedEmail> RenderLessonAsync(LessonEmailModel model)
    {
        var link = model.Link("https://988lifeline.org/");
        return ValueTask.FromResult(new RenderedEmail($"Day {model.Day} of 7", "Today", $"<p>Day {model.Day} of 7</p><a href=\"{link}\">help</a><a href=\"{model.DoneUrl}\">done</a><a href=\"{model.UnsubscribeUrl}\">unsubscribe</a><img src=\"{model.PixelUrl}\" alt=\"\">", $"Day {model.Day} of 7\n{model.PostalAddress}\n{link}\n{model.DoneUrl}\n{model.UnsubscribeUrl}"));
    }
}
