using System.Globalization;

namespace Bootcamp.Admin;

/// <summary>The query parameters of the admin area's keyset-paged lists: an id to continue after, and a page size.</summary>
public static class KeysetPaging
{
    public const int MaxLimit = 200;

    /// <summary>True for nothing given (null) or a whole number above 0.</summary>
    public static bool TryReadId(string? value, out long? id)
    {
        id = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        if (!long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
        {
            return false;
        }
        id = parsed;
        return true;
    }

    /// <summary>True for nothing given (<paramref name="fallback"/>) or a whole number from 1 to <see cref="MaxLimit"/>.</summary>
    public static bool TryReadLimit(string? value, int fallback, out int limit)
    {
        limit = fallback;
        return string.IsNullOrEmpty(value) || int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit;
    }
}
