using System.Globalization;
using System.Text;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Admin;

/// <summary>The list's filter: an address (exact, or the start of one), a status, and the id to continue after.</summary>
public sealed record EnrollmentFilter(string? Query, EnrollmentStatus? Status, long? After, int Limit)
{
    public const int DefaultLimit = 50;

    /// <summary>A whole address finds that one enrollment's rows; anything else is the start of addresses.</summary>
    public bool Exact => Query is { } q && EmailAddress.TryNormalize(q, out _, out _);
}

/// <summary>One row of the list, the address masked unless the admin searched for exactly that address.</summary>
public sealed record EnrollmentRow(long Id, string Email, string Status, DateTime CreatedAt, bool Discreet, int Sent);

/// <summary>
/// The admin's list of enrollments: newest first, keyset paging on the id (never OFFSET, never a count of
/// everything), and the same filter streamed as CSV.
/// </summary>
/// <param name="fewMatches">Where a prefix counts as common (<see cref="FewMatches"/>; tests lower it to try both ways).</param>
public sealed class EnrollmentList(BootcampDb db, int fewMatches = EnrollmentList.FewMatches)
{
    /// <param name="mayReveal">Whether the admin may see a whole address (an operator's exact search); viewers never do.</param>
    public async Task<(IReadOnlyList<EnrollmentRow> Rows, long? Next)> PageAsync(EnrollmentFilter filter, bool mayReveal, CancellationToken cancellationToken)
    {
        var rows = await (await FilteredAsync(filter, cancellationToken))
            .Take(filter.Limit + 1)
            .Select(e => new EnrollmentRow(e.Id, e.Email, e.Status.ToString(), e.CreatedAt, e.Discreet, e.Lessons.Count(l => l.State == LessonState.Sent)))
            .ToListAsync(cancellationToken);
        var next = rows.Count > filter.Limit ? rows[filter.Limit - 1].Id : (long?)null;
        return ([.. rows.Take(filter.Limit).Select(r => r with
        {
            Email = filter.Exact && mayReveal ? r.Email : Mask(r.Email),
            Status = r.Status.ToLowerInvariant(),
            CreatedAt = DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc),
        })], next);
    }

    /// <summary>Writes the whole filter as CSV, a row at a time: memory stays flat at any size.</summary>
    public async Task WriteCsvAsync(EnrollmentFilter filter, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 16 * 1024);
        await writer.WriteAsync("id,email,status,created_at,confirmed_at,finished_at,unsubscribed_at,time_zone,discreet,tracking\r\n");
        var rows = (await FilteredAsync(filter with { After = null }, cancellationToken))
            .Select(e => new { e.Id, e.Email, e.Status, e.CreatedAt, e.ConfirmedAt, e.FinishedAt, e.UnsubscribedAt, e.TimeZone, e.Discreet, e.NoTracking })
            .AsAsyncEnumerable();
        await foreach (var e in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(string.Join(',',
                e.Id.ToString(CultureInfo.InvariantCulture), Csv.Cell(e.Email), e.Status.ToString().ToLowerInvariant(), Time(e.CreatedAt), Time(e.ConfirmedAt),
                Time(e.FinishedAt), Time(e.UnsubscribedAt), Csv.Cell(e.TimeZone), e.Discreet ? "true" : "false", e.NoTracking ? "false" : "true") + "\r\n");
        }
    }

    /// <summary>"a•••@example.org": enough to tell rows apart, not enough to read off a shoulder.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "•••" : email[..1] + "•••" + email[at..];
    }

    /// <summary>
    /// Past this many addresses a prefix is common enough that walking the newest ids meets a page of them soon;
    /// below it, its addresses are read first (by the address index) and only those are sorted.
    /// </summary>
    public const int FewMatches = 20_000;

    private async Task<IQueryable<EnrollmentRecord>> FilteredAsync(EnrollmentFilter filter, CancellationToken cancellationToken)
    {
        var query = db.Enrollments.AsNoTracking();
        if (filter.Query is { Length: > 0 } q)
        {
            var key = EmailAddress.Key(q.Trim());
            if (filter.Exact)
            {
                query = query.Where(e => e.EmailKey == key);
            }
            else
            {
                // Left to itself PostgreSQL walks the ids newest first, testing each address until a page has matched:
                // at a million courses a rare prefix ("reader501") took 155 ms (dashboard benchmark). Counting at most
                // fewMatches + 1 addresses costs one range of the address index; the LIMIT in the subquery keeps the
                // planner from folding it back into the walk.
                // No ORDER BY: the pattern index serves LIKE, not an ordering, and sorting a common prefix's matches
                // would read them all.
                var byAddress = db.Enrollments.Where(e => e.EmailKey.StartsWith(key)).Select(e => e.Id).Take(fewMatches + 1);
                query = await byAddress.CountAsync(cancellationToken) <= fewMatches
                    ? query.Where(e => byAddress.Contains(e.Id))
                    : query.Where(e => e.EmailKey.StartsWith(key));
            }
        }
        if (filter.Status is { } status)
        {
            query = query.Where(e => e.Status == status);
        }
        if (filter.After is { } after)
        {
            query = query.Where(e => e.Id < after);
        }
        return query.OrderByDescending(e => e.Id);
    }

    private static string Time(DateTime? value) =>
        value is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
}
