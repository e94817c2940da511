using Bootcamp.Domain;
using Bootcamp.Delivery;
using Bootcamp.Lessons;
using Xunit.Abstractions;

namespace Bootcamp.UnitTests.Lessons;

/// <summary>
/// The content lint: every email of templates/, rendered for every kind of reader, checked the way a
/// mail client and a careful editor would.
/// </summary>
[Collection(TemplatesCollection.Name)]
public sealed class EmailTemplateLintTests(Templates templates, ITestOutputHelper output)
{
    // Words that name the subject in an inbox: discreet readers must see none in subject, preheader or
    // sender. A trailing * matches any word starting so ("betray*": betrayal, betrayed).
    private static readonly string[] TopicWords =
    [
        "infidel*", "unfaithful*", "affair*", "cheat*", "betray*", "adulter*", "bootcamp*", "boot", "partner*",
        "spouse*", "husband*", "wife", "wives", "marriage*", "married", "trauma*", "divorc*", "lover*", "mistress*",
        "sex*", "relationship*", "surviv*", "disclos*", "therap*", "counsel*", "heal", "healing", "recover*",
        "grief", "griev*", "hurt*", "pain*", "trust*", "lie", "lies", "lying", "liar*", "crisis", "secret*",
    ];

    // Days 1, 3 and 7 are also read by every reader who said where they are.
    public static TheoryData<string, string> EmailsAndReaders() => EmailsFor(_ => true);

    private static TheoryData<string, string> EmailsFor(Func<Reader, bool> readers)
    {
        var data = new TheoryData<string, string>();
        foreach (var email in Emails)
        {
            var staged = Reader.StagedDays.Any(day => email == $"Day{day}") ? Reader.Staged : [];
            foreach (var reader in Reader.All.Concat(staged).Where(readers))
            {
                data.Add(email, reader.Kind);
            }
        }
        return data;
    }

    public static TheoryData<int> Days() => [.. Reader.Days];

    private const string HelplineFinder = "https://findahelpline.com/";

    private static IEnumerable<string> Emails => new[] { "Confirm" }.Concat(Reader.Days.Select(d => $"Day{d}")).Append("Finished");

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task Every_email_renders_without_leftover_razor_or_placeholder_text(string email, string readerKind)
    {
        var (rendered, _) = await Render(email, readerKind);
        var visible = EmailText.VisibleText(EmailText.ParseHtml(rendered.Html, out _));
        string[] leftovers = ["@", "{{", "}}", "lorem", "ipsum", "todo", "xxx", "Model.", "RenderSection", "RenderBody"];
        foreach (var (part, value) in new[] { ("subject", rendered.Subject), ("preheader", rendered.Preheader), ("html", visible), ("text", rendered.Text) })
        {
            foreach (var leftover in leftovers)
            {
                Assert.False(value.Contains(leftover, StringComparison.OrdinalIgnoreCase), $"{email} ({readerKind}): '{leftover}' in the {part}");
            }
        }
        // Text is not HTML: no entities, no tags.
        Assert.DoesNotMatch(@"&(#x?[0-9a-f]+|[a-z]+);", rendered.Text);
        Assert.DoesNotMatch(@"</?[a-z]+[ >/]", rendered.Text);
    }

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task Every_email_is_well_formed_html_under_90_kb(string email, string readerKind)
    {
        var (rendered, _) = await Render(email, readerKind);
        var document = EmailText.ParseHtml(rendered.Html, out var errors);
        Assert.True(errors.Count == 0, $"{email} ({readerKind}) HTML errors:\n{string.Join("\n", errors)}");
        Assert.Equal("en", document.DocumentElement.GetAttribute("lang"));
        Assert.Equal(rendered.Subject, document.Title);
        var size = System.Text.Encoding.UTF8.GetByteCount(rendered.Html);
        Assert.True(size < 90 * 1024, $"{email} HTML is {size} bytes");
    }

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task Every_link_is_absolute_and_goes_through_the_tracker_only_for_tracked_readers(string email, string readerKind)
    {
        var (rendered, model) = await Render(email, readerKind);
        var reader = Reader.Find(readerKind);
        var hrefs = EmailText.Hrefs(EmailText.ParseHtml(rendered.Html, out _));
        Assert.NotEmpty(hrefs);
        foreach (var href in hrefs)
        {
            Assert.True(Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http", $"{email}: '{href}' is not absolute");
            if (model is FinishedEmailModel)
            {
                // Not a lesson: nothing of ours to track, complete or unsubscribe from; plain links out only.
                Assert.False(href.StartsWith(Reader.BaseUrl + "/", StringComparison.Ordinal), $"{email}: '{href}' points back at the service");
                Assert.StartsWith("https://", href);
                continue;
            }
            if (model is not LessonEmailModel lesson)
            {
                Assert.StartsWith($"{Reader.BaseUrl}/confirm/", href);
                continue;
            }
            var ours = href.StartsWith(Reader.BaseUrl + "/", StringComparison.Ordinal);
            if (reader.Tracked)
            {
                Assert.True(ours && (href.Contains("/t/c/") || href == lesson.DoneUrl || href == lesson.UnsubscribeUrl || href == lesson.ManageUrl), $"{email}: '{href}' is not tracked");
            }
            else
            {
                Assert.DoesNotContain("/t/", href);
                // Content links lead elsewhere, or to the pages anyone may read (/guide/…).
                var content = lesson.Links.Contains(href) && (!ours || href.StartsWith(Reader.BaseUrl + "/guide/", StringComparison.Ordinal));
                Assert.True(href == lesson.DoneUrl || href == lesson.UnsubscribeUrl || href == lesson.ManageUrl || content, $"{email}: '{href}' is neither plain content nor done/manage/unsubscribe");
            }
        }
        if (model is LessonEmailModel l)
        {
            Assert.Contains(l.DoneUrl, hrefs);
            Assert.Contains(l.UnsubscribeUrl, hrefs);
            Assert.All(l.Links, link => Assert.StartsWith("https://", link));
            Assert.Equal(l.Links.Count, l.Links.Distinct().Count());
        }
    }

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task Every_image_has_alt_text_and_only_tracked_lessons_carry_the_pixel(string email, string readerKind)
    {
        var (rendered, model) = await Render(email, readerKind);
        var images = EmailText.ParseHtml(rendered.Html, out _).Images.ToArray();
        Assert.All(images, img => Assert.True(img.HasAttribute("alt"), $"{email}: <img src='{img.Source}'> has no alt"));
        var pixel = (model as LessonEmailModel)?.PixelUrl;
        if (pixel is null)
        {
            Assert.Empty(images);
            Assert.DoesNotContain("/t/o/", rendered.Html);
        }
        else
        {
            var img = Assert.Single(images);
            Assert.Equal(pixel, img.GetAttribute("src"));
            Assert.Equal(("1", "1", ""), (img.GetAttribute("width"), img.GetAttribute("height"), img.GetAttribute("alt")));
        }
    }

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task The_text_part_contains_every_link_of_the_html_part(string email, string readerKind)
    {
        var (rendered, _) = await Render(email, readerKind);
        var textUrls = EmailText.Urls(rendered.Text);
        foreach (var href in EmailText.Hrefs(EmailText.ParseHtml(rendered.Html, out _)))
        {
            Assert.Contains(href, textUrls);
        }
    }

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task The_text_part_says_word_for_word_what_the_html_part_shows(string email, string readerKind)
    {
        var (rendered, _) = await Render(email, readerKind);
        var html = EmailText.Words(EmailText.VisibleText(EmailText.ParseHtml(rendered.Html, out _)));
        var text = EmailText.Words(rendered.Text);
        var at = html.Zip(text).TakeWhile(p => p.First == p.Second).Count();
        Assert.True(
            html.Count == text.Count && at == html.Count,
            $"{email} ({readerKind}): the parts differ at word {at}:\n  html: …{string.Join(' ', html.Skip(Math.Max(0, at - 8)).Take(16))}\n  text: …{string.Join(' ', text.Skip(Math.Max(0, at - 8)).Take(16))}");
    }

    [Theory]
    [MemberData(nameof(Days))]
    public async Task Every_lesson_has_500_to_900_words(int day)
    {
        // Counted on the text part from the first line down to the footer rule: title, greeting, lesson,
        // today's step, safety box and sign-off; not the footer (why you get this, unsubscribe, address).
        var rendered = await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(day));
        var words = EmailText.Words(EmailText.TextBody(rendered.Text)).Count;
        output.WriteLine($"Day {day}: {words} words");
        Assert.InRange(words, 500, 900);
    }

    public static TheoryData<int, string> StagedDaysAndStages()
    {
        var data = new TheoryData<int, string>();
        foreach (var day in Reader.StagedDays)
        {
            foreach (var stage in Stages.All)
            {
                data.Add(day, Stages.Name(stage));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(StagedDaysAndStages))]
    public async Task Each_stage_swaps_one_paragraph_of_days_one_three_and_seven_and_keeps_the_length(int day, string stageName)
    {
        var stage = Stages.Parse(stageName);
        var general = await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(day));
        var rendered = await templates.Renderer.RenderLessonAsync((Reader.NormalTracked with { Stage = stage }).Lesson(day));

        // One paragraph differs (text part: paragraphs are separated by blank lines), in both parts alike.
        var before = general.Text.Split("\n\n");
        var after = rendered.Text.Split("\n\n");
        Assert.Equal(before.Length, after.Length);
        var changed = before.Zip(after).Where(p => p.First != p.Second).ToArray();
        Assert.Single(changed);
        Assert.Contains(changed[0].Second.Trim(), EmailText.VisibleText(EmailText.ParseHtml(rendered.Html, out _)));
        Assert.Equal((general.Subject, general.Preheader), (rendered.Subject, rendered.Preheader));
        Assert.DoesNotContain(EmailText.Hrefs(EmailText.ParseHtml(rendered.Html, out _)), href => href.Contains(stageName, StringComparison.Ordinal));
        var words = EmailText.Words(EmailText.TextBody(rendered.Text)).Count;
        Assert.InRange(words, 500, 900);
    }

    [Theory]
    [MemberData(nameof(Days))]
    public async Task Days_without_a_stage_paragraph_read_the_same_for_every_stage(int day)
    {
        if (Reader.StagedDays.Contains(day))
        {
            return;
        }
        var general = await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(day));
        foreach (var stage in Stages.All)
        {
            var rendered = await templates.Renderer.RenderLessonAsync((Reader.NormalTracked with { Stage = stage }).Lesson(day));
            Assert.Equal(general.Text, rendered.Text);
        }
    }

    [Fact]
    public async Task The_finished_note_is_short_150_to_300_words()
    {
        // Counted as the lessons are: everything above the footer rule, safety box and sign-off included.
        var rendered = await templates.Renderer.RenderFinishedAsync(Reader.NormalTracked.Finished());
        var words = EmailText.Words(EmailText.TextBody(rendered.Text)).Count;
        output.WriteLine($"Finished note: {words} words");
        Assert.InRange(words, 150, 300);
    }

    [Fact]
    public async Task Subjects_fit_in_60_characters_and_no_two_emails_share_one()
    {
        foreach (var reader in new[] { Reader.NormalTracked, Reader.DiscreetTracked })
        {
            var subjects = new List<string>();
            var preheaders = new List<string>();
            foreach (var email in Emails)
            {
                var (rendered, _) = await Render(email, reader.Kind);
                output.WriteLine($"{email,-8} {reader.Kind,-18} {rendered.Subject.Length,2} | {rendered.Subject} | {rendered.Preheader}");
                Assert.InRange(rendered.Subject.Length, 10, 60);
                Assert.InRange(rendered.Preheader.Length, 20, 110);
                Assert.Equal(rendered.Subject.Trim(), rendered.Subject);
                if (!email.StartsWith("Day", StringComparison.Ordinal))
                {
                    // Only lessons are numbered: nothing else may pass for one in the inbox.
                    Assert.DoesNotMatch(@"(?i)\b(day|note|lesson) \d", rendered.Subject);
                }
                subjects.Add(rendered.Subject);
                preheaders.Add(rendered.Preheader);
            }
            Assert.Equal(subjects.Count, subjects.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Equal(preheaders.Count, preheaders.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    public static TheoryData<string, string> EmailsAndDiscreetReaders() => EmailsFor(r => r.Discreet);

    [Theory]
    [MemberData(nameof(EmailsAndDiscreetReaders))]
    public async Task Discreet_subjects_preheaders_and_sender_name_carry_no_topic_words(string email, string readerKind)
    {
        var (rendered, model) = await Render(email, readerKind);
        Assert.True(model.Discreet);
        foreach (var (part, value) in new[] { ("subject", rendered.Subject), ("preheader", rendered.Preheader), ("sender", model.SenderName) })
        {
            var found = EmailText.Words(value)
                .Where(word => TopicWords.Any(t => t.EndsWith('*') ? word.StartsWith(t[..^1], StringComparison.Ordinal) : word == t))
                .ToArray();
            Assert.True(found.Length == 0, $"{email}: discreet {part} '{value}' contains {string.Join(", ", found)}");
        }
    }

    // What a lock screen, a notification or a text-first client shows of a message: its first forty words or so.
    private const int FirstWords = 40;

    [Theory]
    [MemberData(nameof(EmailsAndDiscreetReaders))]
    public async Task Discreet_emails_open_with_lines_that_name_no_topic_in_either_part(string email, string readerKind)
    {
        var (rendered, model) = await Render(email, readerKind);
        Assert.True(model.Discreet);
        var html = EmailText.VisibleText(EmailText.ParseHtml(rendered.Html, out _));
        foreach (var (part, value) in new[] { ("text", rendered.Text), ("html", html) })
        {
            var first = EmailText.Words(value).Take(FirstWords).ToArray();
            var found = first.Where(word => TopicWords.Any(t => t.EndsWith('*') ? word.StartsWith(t[..^1], StringComparison.Ordinal) : word == t)).ToArray();
            Assert.True(found.Length == 0, $"{email}: the {part} part of a discreet email opens with {string.Join(", ", found)}: '{string.Join(' ', first)}'");
        }
    }

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task Every_lesson_shows_its_day_greeting_step_safety_box_send_time_and_unsubscribe_link(string email, string readerKind)
    {
        var (rendered, model) = await Render(email, readerKind);
        var document = EmailText.ParseHtml(rendered.Html, out _);
        var visible = EmailText.VisibleText(document);
        var greeting = $"Hi {model.FirstName ?? "there"},";
        foreach (var part in new[] { visible, rendered.Text })
        {
            Assert.Contains(greeting, part);
            Assert.Contains(model.SenderName, part);
            Assert.Contains(Reader.PostalAddress, part);
        }
        if (model is FinishedEmailModel)
        {
            foreach (var part in new[] { visible, rendered.Text })
            {
                Assert.Contains("emergency", part);
                Assert.Contains(Reader.CrisisLine, part);
                Assert.Contains("This is the last email of the course; nothing more will arrive.", part);
                Assert.DoesNotContain("today's step", part, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("unsubscribe", part, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotMatch(@"Day \d of 7", part);
            }
            return;
        }
        if (model is not LessonEmailModel lesson)
        {
            Assert.Contains(((ConfirmEmailModel)model).ConfirmUrl, rendered.Text);
            Assert.Contains("2 days", visible);
            return;
        }
        foreach (var part in new[] { visible, rendered.Text })
        {
            Assert.Contains($"Day {lesson.Day} of 7", part);
            Assert.Contains("today's step", part, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("I did today's step", part);
            Assert.Contains("emergency", part);
            Assert.Contains(Reader.CrisisLine, part);
            Assert.Contains("Unsubscribe", part);
            if (lesson.Day < lesson.TotalDays)
            {
                Assert.Contains("These arrive at 08:00 your time (America/New_York)", part);
            }
            else
            {
                Assert.Contains("This is the last lesson: one short closing note follows, then nothing more.", part);
            }
        }
        var done = document.QuerySelectorAll("a").Single(a => a.GetAttribute("href") == lesson.DoneUrl);
        Assert.Equal("I did today's step", done.TextContent.Trim());
        var unsubscribe = document.QuerySelectorAll("a").Single(a => a.GetAttribute("href") == lesson.UnsubscribeUrl);
        Assert.Equal("Unsubscribe", unsubscribe.TextContent.Trim());
    }

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task Every_lesson_and_the_finished_note_name_the_safety_boxs_three_situations(string email, string readerKind)
    {
        if (email == "Confirm")
        {
            return;
        }
        var (rendered, model) = await Render(email, readerKind);
        var document = EmailText.ParseHtml(rendered.Html, out _);
        foreach (var (part, value) in new[] { ("html", EmailText.VisibleText(document)), ("text", rendered.Text) })
        {
            string[] situations =
            [
                "If you are in danger right now, or thinking about hurting yourself, please call your local emergency number",
                "If someone is hurting, threatening or controlling you, it is not your fault.",
                "Find A Helpline lists free, confidential support lines by country, for a crisis and for abuse",
            ];
            Assert.All(situations, situation => Assert.True(value.Contains(situation, StringComparison.Ordinal), $"{email} ({readerKind}) {part}: no '{situation}'"));
        }
        var finder = document.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == "Find A Helpline").GetAttribute("href")!;
        Assert.Equal(HelplineFinder, model is LessonEmailModel lesson ? Reader.Target(finder, lesson) : finder);
        Assert.Contains(finder, EmailText.Urls(rendered.Text));
    }

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task Day_five_links_to_the_page_the_reader_may_forward_to_their_partner(string email, string readerKind)
    {
        if (email != "Day5")
        {
            return;
        }
        var (rendered, model) = await Render(email, readerKind);
        var lesson = (LessonEmailModel)model;
        var guide = Reader.BaseUrl + Bootcamp.Guide.GuideModule.RepairPath;

        var hrefs = EmailText.Hrefs(EmailText.ParseHtml(rendered.Html, out _)).Where(href => Reader.Target(href, lesson) == guide).ToArray();

        var href = Assert.Single(hrefs);
        Assert.Contains(href, EmailText.Urls(rendered.Text));
        Assert.Equal(Reader.Find(readerKind).Tracked, href.Contains("/t/c/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EmailsAndReaders))]
    public async Task No_email_suggests_hitting_things_or_promises_children_it_is_being_looked_after(string email, string readerKind)
    {
        // Venting by hitting raises anger (Bushman 2002); a parent may not be able to keep "we're looking after it".
        var (rendered, _) = await Render(email, readerKind);
        foreach (var part in new[] { EmailText.VisibleText(EmailText.ParseHtml(rendered.Html, out _)), rendered.Text })
        {
            Assert.DoesNotMatch(@"(?i)\bpunch", part);
            Assert.DoesNotMatch(@"(?i)looking after it\b", part);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    public async Task Days_two_and_seven_list_when_to_get_help_now_and_how_to_find_a_therapist_anywhere(int day)
    {
        foreach (var reader in Reader.All)
        {
            var rendered = await templates.Renderer.RenderLessonAsync(reader.Lesson(day));
            foreach (var part in new[] { EmailText.VisibleText(EmailText.ParseHtml(rendered.Html, out _)), rendered.Text })
            {
                string[] signs =
                [
                    "Get help now if",
                    "still struggling about four weeks on",
                    "can't work, or can't care for your children",
                    "drinking more",
                    "gone days without sleep",
                    "thoughts of not wanting to live",
                    "outside the US",
                ];
                Assert.All(signs, sign => Assert.True(part.Contains(sign, StringComparison.Ordinal), $"Day {day} ({reader}): no '{sign}'"));
            }
        }
    }

    [Fact]
    public async Task With_the_finished_note_turned_off_the_last_lesson_says_nothing_more_will_arrive()
    {
        var rendered = await templates.Renderer.RenderLessonAsync(Reader.NormalTracked.Lesson(7, finishedNoteFollows: false));

        foreach (var part in new[] { EmailText.VisibleText(EmailText.ParseHtml(rendered.Html, out _)), rendered.Text })
        {
            Assert.Contains("This is the last lesson: nothing more will arrive after it.", part);
            Assert.DoesNotContain("closing note", part);
        }
    }

    private async Task<(RenderedEmail Rendered, EmailModel Model)> Render(string email, string readerKind)
    {
        var reader = Reader.Find(readerKind);
        if (email == "Confirm")
        {
            var confirm = reader.Confirm();
            return (await templates.Renderer.RenderConfirmAsync(confirm), confirm);
        }
        if (email == "Finished")
        {
            var finished = reader.Finished();
            return (await templates.Renderer.RenderFinishedAsync(finished), finished);
        }
        var lesson = reader.Lesson(int.Parse(email["Day".Length..], System.Globalization.CultureInfo.InvariantCulture));
        return (await templates.Renderer.RenderLessonAsync(lesson), lesson);
    }
}
