using Bootcamp.Admin;
using Bootcamp.Domain;
using Bootcamp.Persistence;
using Bootcamp.UnitTests.Courses;

namespace Bootcamp.UnitTests.Admin;

/// <summary>
/// The list's prefix search reads a rare prefix's addresses first and walks the newest ids for a common one; both
/// ways give the same pages, newest first, on both providers.
/// </summary>
public sealed class EnrollmentListPrefixTests
{
    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_prefix_finds_the_same_pages_whether_its_addresses_are_few_or_many(string provider)
    {
        await using var rig = await RecordRig.StartAsync(provider);
        await using (var db = rig.Db())
        {
            // Interleaved, so the matches are spread over the ids as real sign-ups are.
            for (var i = 0; i < 60; i++)
            {
                foreach (var name in new[] { $"ann{i}", $"bob{i}", $"annie{i}" })
                {
                    var email = $"{name}@example.org";
                    db.Enrollments.Add(new EnrollmentRecord
                    {
                        Email = email, EmailKey = EmailAddress.Key(email), TimeZone = "UTC", Status = i % 3 == 0 ? EnrollmentStatus.Finished : EnrollmentStatus.Active,
                        CreatedAt = rig.Now.AddMinutes(i), ConsentSource = "api", ConsentVersion = "test",
                    });
                }
            }
            await db.SaveChangesAsync();
        }
        var expected = await ExpectedAsync(rig, e => e.EmailKey.StartsWith("ann"));
        Assert.Equal(120, expected.Count);

        foreach (var fewMatches in new[] { EnrollmentList.FewMatches, 10 })
        {
            Assert.Equal(expected, await AllPagesAsync(rig, new EnrollmentFilter("ann", null, null, 25), fewMatches));
            var finished = await ExpectedAsync(rig, e => e.EmailKey.StartsWith("ann") && e.Status == EnrollmentStatus.Finished);
            Assert.Equal(finished, await AllPagesAsync(rig, new EnrollmentFilter("ann", EnrollmentStatus.Finished, null, 7), fewMatches));
            Assert.Empty(await AllPagesAsync(rig, new EnrollmentFilter("zed", null, null, 25), fewMatches));
        }
    }

    private static async Task<List<long>> ExpectedAsync(RecordRig rig, System.Linq.Expressions.Expression<Func<EnrollmentRecord, bool>> where)
    {
        await using var db = rig.Db();
        return [.. db.Enrollments.Where(where).Select(e => e.Id).AsEnumerable().OrderByDescending(id => id)];
    }

    /// <summary>Every page of the filter, following the list's own keyset links.</summary>
    private static async Task<List<long>> AllPagesAsync(RecordRig rig, EnrollmentFilter filter, int fewMatches)
    {
        List<long> ids = [];
        for (var page = filter; ;)
        {
            await using var db = rig.Db();
            var (rows, next) = await new EnrollmentList(db, fewMatches).PageAsync(page, mayReveal: false, CancellationToken.None);
            ids.AddRange(rows.Select(r => r.Id));
            if (next is null)
            {
                return ids;
            }
            page = page with { After = next };
        }
    }
}
