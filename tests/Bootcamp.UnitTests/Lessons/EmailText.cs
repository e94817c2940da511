using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Dom.Events;
using AngleSharp.Html.Parser;

namespace Bootcamp.UnitTests.Lessons;

/// <summary>Reads rendered emails the way a lint does: parsed HTML, visible words, links, the text part's body.</summary>
public static partial class EmailText
{
    /// <summary>The line between a text part's body and its footer.</summary>
    public const string FooterRule = "----------";

    public static IHtmlDocument ParseHtml(string html, out IReadOnlyList<string> errors)
    {
        var found = new List<string>();
        var parser = new HtmlParser();
        parser.Error += (_, e) =>
        {
            var error = (HtmlErrorEvent)e;
            found.Add($"{error.Position.Line}:{error.Position.Column} {error.Code}: {error.Message}");
        };
        var document = parser.ParseDocument(html);
        errors = found;
        return document;
    }

    public static IReadOnlyList<string> Hrefs(IHtmlDocument document) =>
        document.QuerySelectorAll("a").Select(a => a.GetAttribute("href") ?? "").ToArray();

    /// <summary>What a reader sees: the body's text without the hidden preheader.</summary>
    public static string VisibleText(IHtmlDocument document)
    {
        var body = (IHtmlElement)document.Body!.Clone(deep: true);
        foreach (var hidden in body.QuerySelectorAll("[style*='display:none']").ToArray())
        {
            hidden.Remove();
        }
        return body.TextContent;
    }

    /// <summary>The text part down to the footer rule.</summary>
    public static string TextBody(string text)
    {
        var rule = text.IndexOf("\n" + FooterRule + "\n", StringComparison.Ordinal);
        Assert.True(rule > 0, "The text part has no footer rule.");
        return text[..rule];
    }

    /// <summary>Lower-case words; URLs and list markers are not words.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        text = Url().Replace(text, " ");
        text = ListMarker().Replace(text, " ");
        return Word().Matches(text).Select(m => m.Value.Replace('’', '\'').ToLowerInvariant()).ToArray();
    }

    public static IReadOnlyList<string> Urls(string text) => Url().Matches(text).Select(m => m.Value).ToArray();

    [GeneratedRegex(@"https?://[^\s)]+")]
    private static partial Regex Url();

    [GeneratedRegex(@"(?m)^\s*(?:\d+\.|-)\s")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)*")]
    private static partial Regex Word();
}
