using System.Diagnostics;
using System.Reflection;
using Bootcamp.Delivery;
using Bootcamp.Lessons;
using Bootcamp.Lessons.Rendering;
using RazorLight.Razor;
using Xunit.Abstractions;

namespace Bootcamp.UnitTests.Lessons;

[Collection(TemplatesCollection.Name)]
public sealed class TemplateRendererTests(Templates templates, ITestOutputHelper output)
{
    [Fact]
    public async Task A_csharp_error_in_a_template_stops_CompileAllAsync_naming_file_line_and_column()
    {
        using var copy = new TemplatesCopy();
        var day3 = copy.Lines("Day3.cshtml");
        day3.Insert(3, "    var broken = 1");   // line 4: the semicolon is missing after column 18
        copy.Write("Day3.cshtml", day3);

        var error = await Assert.ThrowsAsync<TemplateCompilationFailedException>(() => new TemplateRenderer(copy.Directory).CompileAllAsync());

        output.WriteLine(error.Message);
        Assert.Contains($"{Path.Combine(copy.Directory, "Day3.cshtml")}(4,19): error: ; expected", error.Errors);
    }

    [Fact]
    public async Task A_razor_syntax_error_stops_CompileAllAsync_naming_file_and_line()
    {
        using var copy = new TemplatesCopy();
        var day5 = copy.Lines("Day5.txt.cshtml");
        day5.Add("@if (Model.Discreet) {");   // never closed
        copy.Write("Day5.txt.cshtml", day5);

        var error = await Assert.ThrowsAsync<TemplateCompilationFailedException>(() => new TemplateRenderer(copy.Directory).CompileAllAsync());

        output.WriteLine(error.Message);
        Assert.Contains(error.Errors, e => e.StartsWith($"{Path.Combine(copy.Directory, "Day5.txt.cshtml")}({day5.Count},", StringComparison.Ordinal) && e.Contains("error RZ"));
    }

    [Fact]
    public async Task A_template_that_throws_while_rendering_stops_CompileAllAsync_naming_file_and_line()
    {
        using var copy = new TemplatesCopy();
        var day2 = copy.Lines("Day2.cshtml");
        day2.Insert(3, "    if (Model.FirstName is null) { throw new InvalidOperationException(\"no name\"); }");
        copy.Write("Day2.cshtml", day2);

        var error = await Assert.ThrowsAsync<TemplateCompilationFailedException>(() => new TemplateRenderer(copy.Directory).CompileAllAsync());

        output.WriteLine(error.Message);
        Assert.StartsWith($"{Path.Combine(copy.Directory, "Day2.cshtml")}(4): error:", Assert.Single(error.Errors));
        Assert.Contains("no name", error.Message);
    }

    [Fact]
    public async Task A_missing_text_template_stops_CompileAllAsync()
    {
        using var copy = new TemplatesCopy();
        File.Delete(Path.Combine(copy.Directory, "Day7.txt.cshtml"));

        var error = await Assert.ThrowsAsync<TemplateCompilationFailedException>(() => new TemplateRenderer(copy.Directory).CompileAllAsync());

        Assert.Contains($"{Path.Combine(copy.Directory, "Day7.txt.cshtml")}: error: missing", error.Message);
    }

    [Fact]
    public async Task A_missing_templates_directory_stops_CompileAllAsync()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-templates-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => new TemplateRenderer(missing).CompileAllAsync());

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task Rendering_before_CompileAllAsync_is_refused()
    {
        var renderer = new TemplateRenderer(Templates.Directory);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(1)));
    }

    [Fact]
    public async Task A_second_renderer_over_the_same_files_reuses_the_compiled_templates()
    {
        var loadedBefore = LoadedTemplateAssemblies();
        var second = new TemplateRenderer(Templates.Directory);
        var stopwatch = Stopwatch.StartNew();
        await second.CompileAllAsync();
        output.WriteLine($"second CompileAllAsync: {stopwatch.ElapsedMilliseconds} ms (first: {templates.Renderer.CompileTime.TotalMilliseconds:F0} ms)");

        // A compile loads a fresh assembly per template, never unloaded: reuse loads none.
        Assert.NotEmpty(loadedBefore);
        Assert.Empty(LoadedTemplateAssemblies().Except(loadedBefore));
        var expected = await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(4));
        Assert.Equal(expected, await second.RenderLessonAsync(Reader.NormalTracked.Lesson(4)));
    }

    [Fact]
    public async Task Templates_compiled_ahead_from_the_same_files_are_loaded_without_a_compile()
    {
        using var copy = new TemplatesCopy();
        // Files of their own: a set loaded earlier in this process would be reused whichever way it was made.
        copy.Write("Day1.txt.cshtml", [.. copy.Lines("Day1.txt.cshtml"), $"@* {Guid.NewGuid():N} *@"]);
        var ahead = Path.Combine(copy.Directory, "ahead.compiled");
        await TemplateCompilerProcess.RunChildAsync(copy.Directory, ahead);

        var renderer = new TemplateRenderer(copy.Directory) { CompiledAheadFile = ahead };
        await renderer.CompileAllAsync();

        Assert.True(renderer.CompiledAhead);
        Assert.Equal(await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(2)), await renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(2)));
    }

    [Fact]
    public async Task A_template_edited_after_the_compile_ahead_is_compiled_at_start_and_its_edit_is_sent()
    {
        using var copy = new TemplatesCopy();
        var ahead = Path.Combine(copy.Directory, "ahead.compiled");
        await TemplateCompilerProcess.RunChildAsync(copy.Directory, ahead);
        var edit = $"Edited after the build {Guid.NewGuid():N}";
        copy.Write("Day1.txt.cshtml", [.. copy.Lines("Day1.txt.cshtml"), edit]);

        var renderer = new TemplateRenderer(copy.Directory) { CompiledAheadFile = ahead };
        await renderer.CompileAllAsync();

        Assert.False(renderer.CompiledAhead);
        Assert.Contains(edit, (await renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(1))).Text);
    }

    [Fact]
    public async Task A_compiled_ahead_file_of_another_format_is_ignored_and_the_templates_compiled_at_start()
    {
        using var copy = new TemplatesCopy();
        copy.Write("Day3.txt.cshtml", [.. copy.Lines("Day3.txt.cshtml"), $"@* {Guid.NewGuid():N} *@"]);
        var ahead = Path.Combine(copy.Directory, "ahead.compiled");
        await File.WriteAllTextAsync(ahead, "not a compiled set");

        var renderer = new TemplateRenderer(copy.Directory) { CompiledAheadFile = ahead };
        await renderer.CompileAllAsync();

        Assert.False(renderer.CompiledAhead);
        Assert.True(renderer.IsCompiled);
    }

    [Fact]
    public void The_compiler_ran_in_a_child_process_and_left_nothing_of_itself_here()
    {
        // Roslyn in the serving process held ~60 MB for the life of the process (delivery benchmark).
        // The templates this class's fixture compiled were loaded from the child's output instead.
        Assert.True(templates.Renderer.IsCompiled);
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).ToHashSet();
        Assert.DoesNotContain("Microsoft.CodeAnalysis.CSharp", loaded);
        Assert.DoesNotContain("Microsoft.AspNetCore.Razor.Language", loaded);
    }

    [Fact]
    public async Task A_first_name_with_an_apostrophe_and_a_script_tag_is_encoded_in_html_and_verbatim_in_text()
    {
        const string name = "O'Brien <script>alert(1)</script> & Co";
        var reader = Reader.NormalTracked with { FirstName = name };

        foreach (var rendered in new[] { await templates.Renderer.RenderLessonAsync(reader.Lesson(3)), await templates.Renderer.RenderConfirmAsync(reader.Confirm()) })
        {
            Assert.DoesNotContain("<script>", rendered.Html);
            Assert.Contains("Hi O&#x27;Brien &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co,", rendered.Html);
            var document = EmailText.ParseHtml(rendered.Html, out _);
            Assert.Empty(document.Scripts);
            Assert.Contains($"Hi {name},", document.Body!.TextContent);

            Assert.Contains($"Hi {name},\n", rendered.Text);
            Assert.DoesNotContain("&#", rendered.Text);
            Assert.DoesNotContain("&lt;", rendered.Text);
            Assert.DoesNotContain("&amp;", rendered.Text);
        }
    }

    [Fact]
    public async Task Text_parts_keep_urls_and_non_ascii_names_exactly_as_given()
    {
        var reader = Reader.NormalTracked with { FirstName = "Zoë-Anne" };
        var model = reader.Lesson(1, timeZone: "America/Argentina/Buenos_Aires");

        var rendered = await templates.Renderer.RenderLessonAsync(model);

        Assert.Contains("Hi Zoë-Anne,", rendered.Text);
        Assert.Contains("(America/Argentina/Buenos_Aires)", rendered.Text);
        Assert.Contains(model.DoneUrl, rendered.Text);
        Assert.Contains("Hi Zoë-Anne,", EmailText.ParseHtml(rendered.Html, out _).Body!.TextContent);
    }

    [Fact]
    public async Task A_blank_first_name_gets_the_gentle_default()
    {
        var rendered = await templates.Renderer.RenderLessonAsync((Reader.NormalTracked with { FirstName = "   " }).Lesson(2));

        Assert.Contains("Hi there,", rendered.Text);
    }

    [Fact]
    public async Task The_same_content_link_in_html_and_text_gets_one_click_token()
    {
        var model = Reader.NormalTracked.Lesson(7);

        var rendered = await templates.Renderer.RenderLessonAsync(model);

        Assert.NotEmpty(model.Links);
        for (var index = 0; index < model.Links.Count; index++)
        {
            var tracked = $"{Reader.BaseUrl}/t/c/CfDJ8click-7-{index}";
            Assert.Contains($"href=\"{tracked}\"", rendered.Html);
            Assert.Contains(tracked, rendered.Text);
        }
    }

    [Fact]
    public async Task Concurrent_renders_give_the_same_emails_as_one_at_a_time()
    {
        var expected = new Dictionary<int, RenderedEmail>();
        foreach (var day in Reader.Days)
        {
            expected[day] = await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(day));
        }

        await Parallel.ForAsync(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var day = i % 7 + 1;
            Assert.Equal(expected[day], await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(day)));
        });
    }

    [Fact]
    public async Task Renders_in_a_row_each_give_the_same_email_as_the_days_first()
    {
        // Renders reuse pooled buffers: nothing one render leaves behind may reach the next reader.
        var expected = new Dictionary<int, RenderedEmail>();
        foreach (var day in Reader.Days)
        {
            expected[day] = await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(day));
        }
        const int warmUp = 2_000, count = 10_000;
        var stopwatch = new Stopwatch();
        for (var i = 0; i < warmUp + count; i++)
        {
            if (i == warmUp)
            {
                stopwatch.Start();
            }
            var day = i % 7 + 1;
            var rendered = await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(day));
            if (!expected[day].Equals(rendered))
            {
                Assert.Fail($"Render {i} of lesson {day} differs from its first: {rendered.HtmlUtf8.Length} bytes of HTML and " +
                    $"{rendered.TextUtf8.Length} of text, where the first had {expected[day].HtmlUtf8.Length} and {expected[day].TextUtf8.Length}.");
            }
        }
        output.WriteLine($"compile at start-up: {templates.Renderer.CompileTime.TotalMilliseconds:F0} ms; " +
            $"one lesson (HTML + text, compared): {stopwatch.Elapsed.TotalMicroseconds / count:F1} µs");
    }

    private static HashSet<Assembly> LoadedTemplateAssemblies() =>
        AppDomain.CurrentDomain.GetAssemblies().Where(a => a.IsDefined(typeof(RazorLightTemplateAttribute))).ToHashSet();

    /// <summary>The real templates copied to a temporary folder, to be broken on purpose.</summary>
    private sealed class TemplatesCopy : IDisposable
    {
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("bootcamp-templates-").FullName;

        public TemplatesCopy()
        {
            foreach (var file in System.IO.Directory.GetFiles(Templates.Directory))
            {
                File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
            }
        }

        public List<string> Lines(string file) => [.. File.ReadAllLines(Path.Combine(Directory, file))];

        public void Write(string file, IEnumerable<string> lines) => File.WriteAllLines(Path.Combine(Directory, file), lines);

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
