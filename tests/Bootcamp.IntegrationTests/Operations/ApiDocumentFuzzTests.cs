using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Bootcamp.Domain;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Operations.Fuzz;
using Bootcamp.Security;
using CsCheck;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Bootcamp.IntegrationTests.Operations;

/// <summary>
/// Every operation of /openapi/v1.json, driven with generated requests against the running host. Each answer
/// must be below 500 and one the document lists for that operation, with a listed content type. Allowed
/// everywhere besides: 413 (the body limit answers before any endpoint) and 429 (the per-client limits, lifted
/// here); for a method the path does not take, 405 (routing); for a path holding an encoded NUL (%00), 400 from
/// Kestrel itself, before the application sees the request. Nothing is stored from a refused request (400 and
/// above): no enrollment for an address that no accepted request carried, and, request by request, no tracking event
/// and no change to the seeded reader's state or choices.
/// </summary>
public sealed class ApiDocumentFuzzTests(ITestOutputHelper output)
{
    private const int RequestsPerOperation = 400;
    private static readonly int[] AnsweredBeforeTheEndpoint = [StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests];

    private TestHost _host = null!;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Every_public_operation_answers_generated_requests_as_its_document_says_and_stores_nothing_it_refused(string provider)
    {
        // A day of an hour: the seeded reader gets Day 1 and nothing else changes their course while the requests run.
        await using var host = _host = await TestHost.StartAsync(await TestStorage.CreateAsync(provider), smtpPort: null, "--Campaign:DayLength=01:00:00");
        using var documentJson = JsonDocument.Parse(await _host.Http.GetStringAsync("/openapi/v1.json"));
        var operations = ApiOperation.ReadAll(documentJson);
        Assert.DoesNotContain(operations, o => o.Path.StartsWith("/admin", StringComparison.Ordinal));
        Assert.Contains(operations, o => o is { Method: "POST", Path: "/api/enrollments" });

        var seedId = await SeedEnrollmentAsync();
        var (cookie, field, token) = await SignupFormTokensAsync();
        var dayOne = await _host.QueryAsync(db => db.Lessons.Where(l => l.EnrollmentId == seedId && l.Day == 1).Select(l => l.Id).SingleAsync());
        var validTokens = ValidTokens(seedId, dayOne);
        var seedTokens = validTokens.Values.SelectMany(t => t).ToArray();
        var inputs = new FuzzInputs(validTokens, field, token);
        var answers = new ConcurrentBag<(FuzzRequest Request, HttpStatusCode Status)>();
        var storedByRefused = new ConcurrentBag<string>();
        // A request carrying one of the seeded reader's valid tokens runs alone between two snapshots, so a change
        // between them is that request's, allowed only if it was accepted. The others may change nothing at all: they
        // run two at a time, and what was stored after one request of the first kind must still be there before the next.
        using var slots = new SemaphoreSlim(2);
        using var alone = new SemaphoreSlim(1);
        var stored = await StoredStateAsync(seedId);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        foreach (var operation in operations)
        {
            var pathMethods = operations.Where(o => o.Path == operation.Path).Select(o => o.Method).ToHashSet();
            try
            {
                await inputs.For(operation, pathMethods).SampleAsync(async request =>
                {
                    if (!seedTokens.Any(t => request.PathAndQuery.Contains(t, StringComparison.Ordinal)))
                    {
                        await slots.WaitAsync();
                        try
                        {
                            answers.Add((request, await SendAndCheckAsync(request, cookie)));
                        }
                        finally
                        {
                            slots.Release();
                        }
                        return;
                    }
                    await alone.WaitAsync();
                    await slots.WaitAsync();
                    await slots.WaitAsync();
                    try
                    {
                        var before = await StoredStateAsync(seedId);
                        if (before != stored)
                        {
                            storedByRefused.Add($"by requests carrying no valid token, before {request}\n  was: {stored}\n  now: {before}");
                        }
                        var status = await SendAndCheckAsync(request, cookie);
                        answers.Add((request, status));
                        stored = await StoredStateAsync(seedId);
                        if ((int)status >= 400 && stored != before)
                        {
                            storedByRefused.Add($"{(int)status} {request}\n  before: {before}\n  after:  {stored}");
                        }
                    }
                    finally
                    {
                        slots.Release(2);
                        alone.Release();
                    }
                }, iter: RequestsPerOperation, threads: 2, print: request => request.ToString());
            }
            catch (CsCheckException e)
            {
                // Every operation gets its turn: one report names every failing operation, each with its smallest failing request.
                failures.Add($"{operation}: {e.Message}\n{e.InnerException?.Message}");
            }
        }
        output.WriteLine($"{answers.Count} requests to {operations.Count} operations in {clock.Elapsed.TotalSeconds:F1} s; "
            + string.Join(", ", answers.GroupBy(a => (int)a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        if (await StoredStateAsync(seedId) is var last && last != stored)
        {
            storedByRefused.Add($"by requests carrying no valid token, at the end\n  was: {stored}\n  now: {last}");
        }
        Assert.True(storedByRefused.IsEmpty, $"{storedByRefused.Count} changes to what is stored came from refused requests, e.g.:\n" + string.Join("\n", storedByRefused.Take(3)));
        await AssertNothingStoredFromARefusedRequestAsync(answers, seedId);
    }

    /// <summary>What a refused request must leave as it was: every tracking event, and the seeded reader's state, choices and steps.</summary>
    private sealed record StoredState(int Events, string Seed);

    private Task<StoredState> StoredStateAsync(long seedId) => _host.QueryAsync(async db =>
    {
        var seed = await db.Enrollments.AsNoTracking().Where(e => e.Id == seedId).Select(e => new
        {
            Events = db.Events.Count(),
            e.Status, e.Email, e.FirstName, e.TimeZone, e.SendAt, e.Discreet, e.NoTracking, e.Stage, e.PausedUntil, e.ConfirmedAt, e.UnsubscribedAt, e.FinishedAt,
            Clicked = e.Lessons.Count(l => l.ClickedAt != null),
            Done = e.Lessons.Count(l => l.CompletedAt != null),
            Lessons = e.Lessons.Count(),
        }).SingleOrDefaultAsync();
        return seed is null ? new StoredState(await db.Events.CountAsync(), "erased") : new StoredState(seed.Events, seed.ToString()!);
    });

    private async Task<HttpStatusCode> SendAndCheckAsync(FuzzRequest request, string cookie)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method),
            new Uri(_host.BaseUrl + request.PathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (request.Body.Length > 0 || request.ContentType is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }
        if (request.WithFormCookie)
        {
            message.Headers.Add("Cookie", cookie);
        }
        using var response = await _host.Http.SendAsync(message);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var said = $"{status} {response.Content.Headers.ContentType} for {request}\nanswer: {body[..Math.Min(body.Length, 300)]}";

        Assert.True(status < 500, $"Server error: {said}");
        if (request.PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal))
        {
            Assert.True(status == StatusCodes.Status400BadRequest, $"Kestrel refuses a NUL in the path with a 400: {said}");
            return response.StatusCode;
        }
        if (request.WrongMethod)
        {
            Assert.True(status == StatusCodes.Status405MethodNotAllowed || AnsweredBeforeTheEndpoint.Contains(status), $"Not a 405 for a method the path does not take: {said}");
            return response.StatusCode;
        }
        if (request.Operation.Responses.TryGetValue(status, out var types))
        {
            var type = response.Content.Headers.ContentType?.MediaType;
            Assert.True(types.Length == 0 || (type is not null && types.Contains(type)), $"Content type not in the document ({string.Join(", ", types)}): {said}");
        }
        else
        {
            Assert.True(AnsweredBeforeTheEndpoint.Contains(status), $"Status not in the document ({string.Join(", ", request.Operation.Responses.Keys)}): {said}");
        }
        return response.StatusCode;
    }

    /// <summary>Every stored address came with an accepted sign-up (202 or 303), and every 202 from the JSON API was stored.</summary>
    private async Task AssertNothingStoredFromARefusedRequestAsync(IEnumerable<(FuzzRequest Request, HttpStatusCode Status)> answers, long seedId)
    {
        var signups = answers.Where(a => a.Request is { WrongMethod: false, Operation.Path: "/api/enrollments" or "/signup" } && a.Request.Email is not null).ToList();
        var accepted = signups.Where(a => a.Status is HttpStatusCode.Accepted or HttpStatusCode.SeeOther).Select(a => Normalized(a.Request.Email)).OfType<string>().ToHashSet();
        var stored = await _host.QueryAsync(db => db.Enrollments.Where(e => e.Id != seedId).Select(e => e.Email).ToListAsync());
        var unexplained = stored.Where(e => !accepted.Contains(e)).ToList();
        Assert.True(unexplained.Count == 0, $"Stored without an accepted request: {string.Join(", ", unexplained.Take(5))}; refused requests carrying them: "
            + string.Join("\n", signups.Where(a => unexplained.Contains(Normalized(a.Request.Email) ?? "")).Take(3).Select(a => $"{(int)a.Status} {a.Request}")));
        var apiAccepted = signups.Where(a => a.Request.Operation.Path == "/api/enrollments" && a.Status == HttpStatusCode.Accepted).Select(a => Normalized(a.Request.Email)!).ToHashSet();
        Assert.Subset(stored.ToHashSet(), apiAccepted);
        output.WriteLine($"{accepted.Count} sign-ups accepted, {stored.Count} stored, {signups.Count - accepted.Count} refused");
    }

    private static string? Normalized(string? email) => EmailAddress.TryNormalize(email, out var address, out _) ? address : null;

    /// <summary>
    /// One real reader, confirmed and sent Day 1, so that some tokens lead to a record and its pages, actions,
    /// clicks, steps and erasure.
    /// </summary>
    private async Task<long> SeedEnrollmentAsync()
    {
        using var response = await _host.Http.PostAsJsonAsync("/api/enrollments", new { email = "seed@example.org", timeZone = "Europe/Paris", tracking = true });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var seedId = await _host.QueryAsync(db => db.Enrollments.Where(e => e.Email == "seed@example.org").Select(e => e.Id).SingleAsync());
        using var confirmed = await _host.Http.PostAsync("/confirm/" + _host.Services.GetRequiredService<LinkTokens>().Create(TokenPurpose.Confirm, seedId), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        await Eventually.ReturnsAsync(() => _host.QueryAsync(db => db.Lessons.AnyAsync(l => l.EnrollmentId == seedId && l.Day == 1 && l.SentAt != null)),
            sent => sent, what: "the seeded reader's Day 1 to be sent");
        return seedId;
    }

    /// <summary>Tokens that open: the course's for confirm, unsubscribe and manage; its Day 1 lesson's for open, click and step done.</summary>
    private IReadOnlyDictionary<string, string[]> ValidTokens(long seedId, long dayOne)
    {
        var tokens = _host.Services.GetRequiredService<LinkTokens>();
        string[] For(TokenPurpose purpose, long? lessonId = null) =>
            [tokens.Create(purpose, lessonId ?? seedId), tokens.Create(purpose, (lessonId ?? seedId) + 1_000), tokens.Create(purpose, lessonId ?? seedId, index: 3)];
        return new Dictionary<string, string[]>
        {
            ["/confirm/"] = For(TokenPurpose.Confirm),
            ["/t/o/"] = For(TokenPurpose.Open, dayOne),
            ["/t/c/"] = For(TokenPurpose.Click, dayOne),
            ["/d/"] = For(TokenPurpose.Done, dayOne),
            ["/u/"] = For(TokenPurpose.Unsubscribe),
            ["/m/"] = For(TokenPurpose.Manage),
        };
    }

    /// <summary>The sign-up page's antiforgery cookie and form field, so that some generated forms get past the antiforgery check.</summary>
    private async Task<(string Cookie, string Field, string Token)> SignupFormTokensAsync()
    {
        using var page = await _host.Http.GetAsync("/");
        var cookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var field = _host.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.FormFieldName;
        var html = await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync());
        var token = html.QuerySelector($"input[name='{field}']")?.GetAttribute("value") ?? throw new InvalidOperationException("No antiforgery field on the sign-up page.");
        return (cookie, field, token);
    }
}
