using static Bootcamp.IntegrationTests.Hosting.HttpForms;
using System.Net;
using System.Text;
using System.Text.Json;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.IntegrationTests.Enrollment;

public sealed class SignupInputTests : IAsyncLifetime
{
    private SmtpSink _sink = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), _sink.Port);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"email":"not-an-address","timeZone":"Europe/Paris"}""", "email")]
    [InlineData("""{"email":"a@example.org\r\nBcc: victim@example.org","timeZone":"Europe/Paris"}""", "email")]
    [InlineData("""{"email":"Name <a@example.org>","timeZone":"Europe/Paris"}""", "email")]
    [InlineData("""{"timeZone":"Europe/Paris"}""", "email")]
    [InlineData("""{"email":"a@example.org","timeZone":"Mars/Olympus_Mons"}""", "timeZone")]
    [InlineData("""{"email":"a@example.org"}""", "timeZone")]
    [InlineData("""{"email":"a@example.org","timeZone":"Europe/Paris","firstName":"Sam\nBcc: x"}""", "firstName")]
    [InlineData("""{"email":"a@example.org","timeZone":"Europe/Paris","discreet":"yes please"}""", "discreet")]
    [InlineData("""{"email":42,"timeZone":"Europe/Paris"}""", "email")]
    [InlineData("""{"email":"a@example.org","timeZone":"Europe/Paris","stage":"yesterday"}""", "stage")]
    [InlineData("""{"email":"a@example.org","timeZone":"Europe/Paris","stage":"Weeks"}""", "stage")]
    [InlineData("""{"email":"a@example.org","timeZone":"Europe/Paris","stage":3}""", "stage")]
    [InlineData("""{"email":"a@example.org",""", "body")]
    [InlineData("""[]""", "body")]
    [InlineData("""null""", "body")]
    public async Task Bad_json_sign_ups_get_a_400_problem_naming_the_field(string body, string field)
    {
        using var response = await _host.Http.PostAsync("/api/enrollments", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem.RootElement}");
    }

    [Fact]
    public async Task An_over_long_address_or_name_gets_a_400_not_a_500()
    {
        var longAddress = new string('a', 250) + "@example.org";
        using var response = await _host.Http.PostAsync("/api/enrollments", new StringContent(
            JsonSerializer.Serialize(new { email = longAddress, timeZone = "Europe/Paris", firstName = new string('b', 101) }), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"email\"", text);
        Assert.Contains("\"firstName\"", text);
    }

    [Fact]
    public async Task The_stage_is_stored_when_given_and_left_empty_when_not_and_never_reaches_a_header()
    {
        using var staged = await _host.Http.PostAsync("/api/enrollments", new StringContent(
            """{"email":"staged@example.org","timeZone":"Europe/Paris","stage":"new-revelation"}""", Encoding.UTF8, "application/json"));
        using var unstaged = await _host.Http.PostAsync("/api/enrollments", Json("unstaged@example.org"));
        var confirmation = await new Subscriber(_host, _sink, "staged@example.org").WaitForConfirmationAsync();

        Assert.Equal(HttpStatusCode.Accepted, staged.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unstaged.StatusCode);
        Assert.Equal(Stage.NewRevelation, await _host.QueryAsync(db => db.Enrollments.Where(e => e.EmailKey == "staged@example.org").Select(e => e.Stage).SingleAsync()));
        Assert.Null(await _host.QueryAsync(db => db.Enrollments.Where(e => e.EmailKey == "unstaged@example.org").Select(e => e.Stage).SingleAsync()));
        Assert.DoesNotContain(confirmation.Message.Headers, h => h.Value.Contains("revelation", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_sign_up_that_is_not_json_gets_a_400()
    {
        using var response = await _host.Http.PostAsync("/api/enrollments", new StringContent("email=a@example.org", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task New_known_and_active_addresses_get_the_same_answer()
    {
        var reader = new Subscriber(_host, _sink, "same-answer@example.org");
        await reader.JoinAsync();
        using var first = await _host.Http.PostAsync("/api/enrollments", Json(reader.Email));
        using var unknown = await _host.Http.PostAsync("/api/enrollments", Json("someone-new@example.org"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await first.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_pending_address_signing_up_again_within_the_hour_gets_no_second_confirmation()
    {
        var reader = new Subscriber(_host, _sink, "pending-twice@example.org");
        await reader.SignUpAsync();
        await reader.WaitForConfirmationAsync();
        await reader.SignUpAsync();
        var barrier = new Subscriber(_host, _sink, "barrier@example.org");
        await barrier.SignUpAsync();
        await barrier.WaitForConfirmationAsync();

        Assert.Single(reader.AllMail);
        var consent = await _host.QueryAsync(db => db.Enrollments.SingleAsync(e => e.EmailKey == reader.Email));
        Assert.Equal("api", consent.ConsentSource);
        Assert.False(string.IsNullOrEmpty(consent.ConsentVersion));
    }

    [Fact]
    public async Task The_sign_up_page_form_needs_its_antiforgery_token_and_answers_303_then_the_inbox_page()
    {
        using var client = AdminClient.Create(_host);
        var page = await client.GetStringAsync("/");
        Assert.Contains("name=\"timeZone\"", page);
        Assert.Contains("name=\"discreet\"", page);
        Assert.Contains("name=\"website\"", page);
        var token = AdminClient.AntiforgeryToken(page);

        using var withoutToken = await client.PostAsync("/signup", Form(("email", "form@example.org"), ("timeZone", "Europe/Paris")));
        using var bad = await client.PostAsync("/signup", Form(("__af", token), ("email", "nope"), ("timeZone", "Europe/Paris")));
        using var good = await client.PostAsync("/signup", Form(("__af", token), ("email", "form@example.org"), ("timeZone", "Asia/Tokyo"), ("discreet", "true")));

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("This is not a valid email address.", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.SeeOther, good.StatusCode);
        var confirmation = await new Subscriber(_host, _sink, "form@example.org").WaitForConfirmationAsync();
        Assert.Equal("notes@localhost", confirmation.Message.From.Mailboxes.Single().Address);
        var enrollment = await _host.QueryAsync(db => db.Enrollments.SingleAsync(e => e.EmailKey == "form@example.org"));
        Assert.Equal("Asia/Tokyo", enrollment.TimeZone);
        Assert.Equal("web", enrollment.ConsentSource);
    }

    [Fact]
    public async Task A_filled_honeypot_looks_accepted_but_sends_nothing()
    {
        using var client = AdminClient.Create(_host);
        var page = await client.GetStringAsync("/");
        var token = AdminClient.AntiforgeryToken(page);

        using var response = await client.PostAsync("/signup", Form(("__af", token), ("email", "bot@example.org"), ("timeZone", "Europe/Paris"), ("website", "http://spam.example")));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(0, await _host.QueryAsync(db => db.Enrollments.CountAsync(e => e.EmailKey == "bot@example.org")));
    }

    private static StringContent Json(string email) =>
        new(JsonSerializer.Serialize(new { email, timeZone = "Europe/Paris" }), Encoding.UTF8, "application/json");
}
