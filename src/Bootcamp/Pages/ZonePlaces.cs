using System.Collections.Frozen;
using NodaTime.TimeZones;

namespace Bootcamp.Pages;

/// <summary>One place in the time-zone list: the IANA id it submits and the words a person reads.</summary>
public sealed record ZonePlace(string Id, string Label);

/// <summary>The places of one region ("Europe", "Americas"), for an optgroup.</summary>
public sealed record ZoneRegion(string Name, IReadOnlyList<ZonePlace> Places);

/// <summary>
/// The time-zone field's places, built once from NodaTime's TZDB: every zone.tab location, labelled by
/// city and country ("Berlin, Germany"), grouped by region. zone.tab's ids include a few that TZDB now
/// links to another zone (Europe/Amsterdam → Europe/Brussels); they stay, since people look for their
/// own city and every TZDB id is accepted.
/// </summary>
public static class ZonePlaces
{
    private static readonly Lazy<(IReadOnlyList<ZoneRegion> Regions, FrozenSet<string> Ids)> Built = new(Build);

    public static IReadOnlyList<ZoneRegion> Regions => Built.Value.Regions;

    public static bool Contains(string? id) => id is not null && Built.Value.Ids.Contains(id);

    private static (IReadOnlyList<ZoneRegion>, FrozenSet<string>) Build()
    {
        var places = (TzdbDateTimeZoneSource.Default.ZoneLocations ?? [])
            .Select(l => (Region: Region(l.ZoneId), Place: new ZonePlace(l.ZoneId, Label(l))))
            .Append((Region: "Other", Place: new ZonePlace("UTC", "UTC (Coordinated Universal Time)")))
            .ToList();
        var regions = places
            .GroupBy(p => p.Region)
            .OrderBy(g => g.Key == "Other").ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ZoneRegion(g.Key, [.. g.Select(p => p.Place).OrderBy(p => p.Label, StringComparer.Ordinal)]))
            .ToList();
        return (regions, places.Select(p => p.Place.Id).ToFrozenSet(StringComparer.Ordinal));
    }

    // "America/Argentina/Buenos_Aires" in Argentina → "Buenos Aires, Argentina"; zone.tab's comment tells
    // apart the zones of one country ("Chicago, United States — Central (most areas)").
    private static string Label(TzdbZoneLocation location)
    {
        var city = location.ZoneId[(location.ZoneId.LastIndexOf('/') + 1)..].Replace('_', ' ');
        var label = $"{city}, {location.CountryName}";
        return string.IsNullOrWhiteSpace(location.Comment) ? label : $"{label} — {location.Comment}";
    }

    private static string Region(string zoneId) => zoneId[..Math.Max(0, zoneId.IndexOf('/'))] switch
    {
        "America" => "Americas",
        "Atlantic" => "Atlantic Ocean",
        "Indian" => "Indian Ocean",
        "Pacific" => "Pacific Ocean",
        "" => "Other",
        var region => region,
    };
}
