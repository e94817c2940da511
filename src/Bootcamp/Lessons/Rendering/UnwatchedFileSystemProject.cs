using RazorLight.Razor;

namespace Bootcamp.Lessons.Rendering;

/// <summary>
/// RazorLight's file-system project without its file watcher: templates are compiled once at start-up,
/// so a change token would only let RazorLight recompile on the send path, and the watcher it creates
/// is never disposed.
/// </summary>
internal sealed class UnwatchedFileSystemProject(string root) : FileSystemRazorProject(root)
{
    public override Task<RazorLightProjectItem> GetItemAsync(string templateKey)
    {
        if (!templateKey.EndsWith(Extension, StringComparison.Ordinal))
        {
            templateKey += Extension;
        }
        var file = new FileInfo(GetAbsoluteFilePathFromKey(templateKey));
        return Task.FromResult<RazorLightProjectItem>(new FileSystemRazorProjectItem(templateKey, file));
    }
}
