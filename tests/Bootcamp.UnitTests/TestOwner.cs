using Bootcamp.Courses;

namespace Bootcamp.UnitTests;

/// <summary>The one claim owner of a unit test: every store in a test claims as the same living process.</summary>
internal static class TestOwner
{
    public static readonly ClaimOwner Instance = new();
}
