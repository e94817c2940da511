using System.Net;
using System.Net.Http.Json;
using Bootcamp.IntegrationTests.Hosting;

namespace Bootcamp.IntegrationTests.Admin;

/// <summary>The admin finds a person: masked list, exact and prefix search, status filter, keyset paging, CSV of the filter.</summary>
public sealed class EnrollmentListTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_list_is_newest_first_masked_searchable_paged_and_exported(string provider)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), null, "--Campaign:DayLength=01:00:00");
        string[] addresses = ["ann@example.org", "anna@example.org", "bob@example.net", "=cmd@example.org"];
        foreach (var email in addresses)
        {
            using var response = await host.Http.PostAsJsonAsync("/api/enrollments", new { email, timeZone = "Europe/Paris" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        using var admin = await AdminClient.SignInAsync(host);
        using var anonymous = AdminClient.Create(host);

        var all = await PageAsync(admin, "/admin/enrollments");
        var firstPage = await PageAsync(admin, "/admin/enrollments?limit=2");
        var exact = await PageAsync(admin, "/admin/enrollments?q=ANN@example.org");
        var prefix = await PageAsync(admin, "/admin/enrollments?q=ann");
        var pending = await PageAsync(admin, "/admin/enrollments?status=pending");
        var active = await PageAsync(admin, "/admin/enrollments?status=active");
        using var badStatus = await admin.GetAsync("/admin/enrollments?status=sleeping");
        using var signedOut = await anonymous.GetAsync("/admin/enrollments");
        using var csv = await admin.GetAsync("/admin/enrollments.csv?q=ann");
        var csvText = await csv.Content.ReadAsStringAsync();

        // Newest first, masked.
        Assert.True(all.IndexOf("=•••@example.org", StringComparison.Ordinal) < all.IndexOf("b•••@example.net", StringComparison.Ordinal));
        Assert.True(all.IndexOf("b•••@example.net", StringComparison.Ordinal) < all.IndexOf("a•••@example.org", StringComparison.Ordinal));
        Assert.DoesNotContain("ann@example.org", all);
        // Two per page, the next page continues after the last id shown.
        Assert.Contains("b•••@example.net", firstPage);
        Assert.DoesNotContain("a•••@example.org", firstPage);
        var next = System.Text.RegularExpressions.Regex.Match(firstPage, "href=\"(/admin/enrollments\\?[^\"]*after=[0-9]+[^\"]*)\"").Groups[1].Value;
        var secondPage = await PageAsync(admin, next);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(secondPage, "a•••@example.org").Count);
        // An exact search shows the one found; a prefix finds both, masked.
        Assert.Contains("ann@example.org", exact);
        Assert.DoesNotContain("anna", exact);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(prefix, "a•••@example.org").Count);
        Assert.Contains("b•••@example.net", pending);
        Assert.Contains("No enrollment matches.", active);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal(HttpStatusCode.Found, signedOut.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = csvText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,email,status,created_at,confirmed_at,finished_at,unsubscribed_at,time_zone,discreet,tracking", lines[0]);
        Assert.Equal(["anna@example.org", "ann@example.org"], lines.Skip(1).Select(l => l.Split(',')[1]));
        // A cell a spreadsheet would run as a formula is defused.
        var everything = await admin.GetStringAsync("/admin/enrollments.csv");
        Assert.Contains(",'=cmd@example.org,", everything);
    }

    /// <summary>The page as a reader of it sees the text: entities decoded.</summary>
    private static async Task<string> PageAsync(HttpClient admin, string url) => WebUtility.HtmlDecode(await admin.GetStringAsync(url));
}
