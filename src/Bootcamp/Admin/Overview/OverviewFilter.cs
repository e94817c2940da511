using Bootcamp.Domain;

namespace Bootcamp.Admin.Overview;

/// <summary>
/// What the overview counts: courses signed up in the last <see cref="Days"/> days (and the trend over them), in one
/// status or any, discreet readers, the others or both. Read from the query string; a value it does not know is a 400.
/// </summary>
public sealed record OverviewFilter(int Days, EnrollmentStatus? Status, bool? Discreet)
{
    public static readonly IReadOnlyList<int> Ranges = [30, 90, 365];

    public static readonly OverviewFilter Default = new(30, null, null);

    /// <summary>The filter, or the name of the first field whose value is not one of the choices.</summary>
    public static (OverviewFilter? Filter, string? BadField) Read(string? range, string? status, string? discreet)
    {
        var days = Default.Days;
        if (!string.IsNullOrEmpty(range) && !(int.TryParse(range, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out days) && Ranges.Contains(days)))
        {
            return (null, "range");
        }
        EnrollmentStatus? parsedStatus = null;
        if (!string.IsNullOrEmpty(status) && status != "any")
        {
            if (!Enum.TryParse<EnrollmentStatus>(status, ignoreCase: true, out var value) || !Enum.IsDefined(value) || !status.All(char.IsLetter))
            {
                return (null, "status");
            }
            parsedStatus = value;
        }
        return discreet switch
        {
            null or "" or "any" => (new OverviewFilter(days, parsedStatus, null), null),
            "yes" => (new OverviewFilter(days, parsedStatus, true), null),
            "no" => (new OverviewFilter(days, parsedStatus, false), null),
            _ => (null, "discreet"),
        };
    }

    /// <summary>This filter as a query string for links, defaults left out.</summary>
    public string Query()
    {
        string?[] parts =
        [
            Days == Default.Days ? null : "range=" + Days,
            Status is { } s ? "status=" + DashboardQueries.Name(s) : null,
            Discreet is { } d ? "discreet=" + (d ? "yes" : "no") : null,
        ];
        return string.Join('&', parts.OfType<string>());
    }
}
