using Bootcamp.Delivery;
namespace Bootcamp.Lessons;

/// <summary>Turns a model into subject, preheader, HTML and text, from templates compiled once at start-up.</summary>
public interface IEmailRenderer
{
    ValueTask<RenderedEmail> RenderConfirmAsync(ConfirmEmailModel model);

    ValueTask<RenderedEmail> RenderLessonAsync(LessonEmailModel model);

    ValueTask<RenderedEmail> RenderFinishedAsync(FinishedEmailModel model);
}
