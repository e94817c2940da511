using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Bootcamp.IntegrationTests.Hosting;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>Large bodies are refused before anything reads them, and the process stays well for everyone else.</summary>
public sealed class RequestBodyLimitTests
{
    [Fact]
    public async Task Three_25_MB_sign_ups_at_once_each_get_413_and_the_next_reader_signs_up_as_usual()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null);
        var body = new byte[25 * 1024 * 1024];
        Array.Fill(body, (byte)'a');
        "{\"email\":\""u8.CopyTo(body);

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await host.Http.PostAsync("/api/enrollments", content);
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
        }));
        using var ready = await host.Http.GetAsync("/health/ready");
        using var next = await host.Http.PostAsJsonAsync("/api/enrollments", new { email = "after@example.org", timeZone = "Europe/Paris" });

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "application/problem+json"), a));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        Assert.Equal(0, await host.QueryAsync(db => Task.FromResult(db.Enrollments.Count(e => e.Email != "after@example.org"))));
    }

    [Fact]
    public async Task A_chunked_body_without_a_length_is_cut_off_at_the_limit_with_413()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null);
        var json = "{\"email\":\"chunked@example.org\",\"timeZone\":\"Europe/Paris\",\"firstName\":\"" + new string('x', 200_000) + "\"}";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/enrollments") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await host.QueryAsync(db => Task.FromResult(db.Enrollments.Count())));
    }

    [Theory]
    [InlineData("/signup")]
    [InlineData("/admin/login")]
    [InlineData("/u/some-token")]
    public async Task An_oversized_form_gets_413(string path)
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null);
        using var form = new FormUrlEncodedContent([new("email", "form@example.org"), new("firstName", new string('x', 100_000))]);

        using var response = await host.Http.PostAsync(path, form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_sign_up_with_every_field_at_its_longest_still_fits()
    {
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Sqlite"), null);
        var email = new string('a', 64) + "@" + new string('b', 63) + "." + new string('c', 63) + ".example.org";

        using var response = await host.Http.PostAsJsonAsync("/api/enrollments",
            new { email, firstName = new string('é', 100), timeZone = "America/Argentina/ComodRivadavia", discreet = true, tracking = true });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
