using static Bootcamp.IntegrationTests.Hosting.HttpForms;
using System.Net;
using System.Text.Json;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>/admin/lessons: every email previewed, framed in a sandbox, and a test to the admin that nothing records.</summary>
public sealed class LessonPreviewTests
{
    private static readonly string[] Emails = ["confirmation", "day1", "day2", "day3", "day4", "day5", "day6", "day7", "finished"];

    [Fact]
    public async Task Every_email_shows_its_html_in_a_sandboxed_frame_and_its_text_for_a_normal_and_a_discreet_reader()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), smtpPort: null);
        using var admin = await AdminClient.SignInAsync(host);
        using var anonymous = AdminClient.Create(host);
        var subjects = new Dictionary<(string, bool), string>();

        foreach (var email in Emails)
        {
            foreach (var discreet in new[] { false, true })
            {
                var query = $"email={email}&discreet={(discreet ? "on" : "off")}";
                using var page = await admin.GetAsync($"/admin/lessons?{query}");
                var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
                using var frame = await admin.GetAsync($"/admin/lessons/{email}.html?discreet={(discreet ? "on" : "off")}");
                var framed = await frame.Content.ReadAsStringAsync();

                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.True(page.Headers.CacheControl?.NoStore);
                // The app's policy, with frames from itself added: still no inline script, nothing from elsewhere.
                var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
                Assert.Contains("script-src 'self'", policy);
                Assert.Contains("frame-src 'self'", policy);
                Assert.DoesNotContain("unsafe-inline", policy);
                Assert.Contains($"""<iframe class="email-frame" title="{Bootcamp.Admin.EmailSamples.Label(email)}, HTML part" src="/admin/lessons/{email}.html?discreet={(discreet ? "on" : "off")}" sandbox""", html);
                Assert.Contains("<pre class=\"text-part\"", html);
                Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
                Assert.Equal("text/html", frame.Content.Headers.ContentType?.MediaType);
                var framePolicy = string.Join(";", frame.Headers.GetValues("Content-Security-Policy"));
                Assert.Contains("sandbox", framePolicy);
                Assert.Contains("frame-ancestors 'self'", framePolicy);
                Assert.Contains("default-src 'none'", framePolicy);
                Assert.DoesNotContain("script-src", framePolicy);
                Assert.Contains("<html", framed, StringComparison.OrdinalIgnoreCase);
                // Untracked: no pixel, no click tokens.
                Assert.DoesNotContain("/t/o/", framed);
                Assert.DoesNotContain("/t/c/", framed + html);
                var subject = System.Text.RegularExpressions.Regex.Match(html, "<dt>Subject</dt><dd>(.*?)</dd>").Groups[1].Value;
                Assert.False(string.IsNullOrWhiteSpace(subject));
                subjects[(email, discreet)] = subject;
                if (email.StartsWith("day", StringComparison.Ordinal))
                {
                    Assert.Contains($"Day {email[3..]} of 7", html);
                }
            }
        }
        using var signedOutPage = await anonymous.GetAsync("/admin/lessons");
        using var signedOutFrame = await anonymous.GetAsync("/admin/lessons/day1.html");
        using var badEmail = await admin.GetAsync("/admin/lessons?email=day8");
        using var badSwitch = await admin.GetAsync("/admin/lessons?email=day1&discreet=maybe");

        // Discreet lessons have their own neutral subjects; the confirmation is neutral for everyone.
        Assert.All(Emails.Where(e => e.StartsWith("day", StringComparison.Ordinal)), e => Assert.NotEqual(subjects[(e, false)], subjects[(e, true)]));
        Assert.Equal(subjects[("confirmation", false)], subjects[("confirmation", true)]);
        Assert.Equal(HttpStatusCode.Found, signedOutPage.StatusCode);
        Assert.Equal(HttpStatusCode.Found, signedOutFrame.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.Contains("email: one of confirmation, day1", await badEmail.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badSwitch.StatusCode);
        Assert.Contains("discreet: on or off", await badSwitch.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_test_reaches_the_signed_in_admin_marked_untracked_and_recorded_nowhere(string provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), sink.Port);
        using var admin = await AdminClient.SignInAsync(host);
        var page = await admin.GetStringAsync("/admin/lessons?email=day3&discreet=on");
        var token = AdminClient.AntiforgeryToken(page);

        using var forged = await admin.PostAsync("/admin/lessons/test", Form(("email", "day3"), ("discreet", "on")));
        using var badEmail = await admin.PostAsync("/admin/lessons/test", Form(("__af", token), ("email", "day8"), ("discreet", "on")));
        using var badSwitch = await admin.PostAsync("/admin/lessons/test", Form(("__af", token), ("email", "day3"), ("discreet", "yes")));
        using var missingSwitch = await admin.PostAsync("/admin/lessons/test", Form(("__af", token), ("email", "day3")));
        using var sent = await admin.PostAsync("/admin/lessons/test", Form(("__af", token), ("email", "day3"), ("discreet", "on")));
        var mail = (await sink.WaitForAsync(all => all.To(TestHost.AdminEmail).Count >= 1, Subscriber.MailDeadline)).To(TestHost.AdminEmail)[0].Message;
        using var second = await admin.PostAsync("/admin/lessons/test", Form(("__af", token), ("email", "finished"), ("discreet", "off")));
        var mails = (await sink.WaitForAsync(all => all.To(TestHost.AdminEmail).Count >= 2, Subscriber.MailDeadline)).To(TestHost.AdminEmail);
        var rows = await host.QueryAsync(async db => (await db.Enrollments.CountAsync(), await db.Lessons.CountAsync(), await db.Events.CountAsync(), await db.Outbox.CountAsync()));
        using var stats = JsonDocument.Parse(await admin.GetStringAsync("/admin/api/stats"));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("__af:", await forged.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.Contains("email: one of", await badEmail.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badSwitch.StatusCode);
        Assert.Contains("discreet: on or off", await badSwitch.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, missingSwitch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains($"went to {TestHost.AdminEmail}", WebUtility.HtmlDecode(await sent.Content.ReadAsStringAsync()));
        Assert.StartsWith("[Test] ", mail.Subject);
        Assert.Equal("1", mail.Headers["X-Bootcamp-Test"]);
        Assert.Equal("notes@localhost", mail.From.Mailboxes.Single().Address);
        Assert.False(mail.Headers.Contains("List-Unsubscribe"));
        Assert.Contains("Day 3 of 7", mail.TextBody);
        Assert.DoesNotContain("/t/o/", mail.HtmlBody);
        Assert.DoesNotContain("/t/c/", mail.HtmlBody + mail.TextBody);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.StartsWith("[Test] ", mails[1].Message.Subject);
        Assert.NotEqual(mails[0].Message.MessageId, mails[1].Message.MessageId);
        Assert.Equal(2, sink.Messages.Count);
        Assert.Equal((0, 0, 0, 0), rows);
        Assert.All(stats.RootElement.GetProperty("lessons").EnumerateArray(), day => Assert.Equal(0, day.GetProperty("sent").GetInt32()));
    }
}
