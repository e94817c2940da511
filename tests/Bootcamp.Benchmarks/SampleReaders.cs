namespace Bootcamp.Benchmarks;

/// <summary>One made-up reader, as a sign-up form would see them.</summary>
internal sealed record SampleReader(string Email, string? FirstName, string TimeZone, bool Discreet, bool NoTracking);

/// <summary>
/// Made-up but realistic readers: varied names and domains, a first name on most, the discreet option
/// on some, tracking refused by a few. Deterministic, so runs render the same mix; unique by number.
/// </summary>
internal static class SampleReaders
{
    private static readonly string[] FirstNames =
        ["maria", "james", "aiko", "fatima", "lucas", "priya", "olivia", "chen", "amara", "noah", "sofia", "mateo", "hannah", "omar", "elena", "kofi"];

    private static readonly string[] LastNames =
        ["garcia", "smith", "tanaka", "khan", "martin", "patel", "johnson", "wang", "okafor", "muller", "rossi", "silva", "nguyen", "haddad", "kowalski", "mensah"];

    // Reserved names (RFC 2606) under several domain shapes: nothing here can reach a real mailbox.
    private static readonly string[] Domains =
        ["example.com", "example.net", "example.org", "mail.example.com", "inbox.example.net", "post.example.org"];

    private static readonly string[] TimeZones =
        ["America/New_York", "Europe/Paris", "Asia/Tokyo", "America/Los_Angeles", "Europe/London", "Australia/Sydney", "America/Sao_Paulo", "Asia/Kolkata"];

    public static SampleReader Number(long n, string tag = "")
    {
        var first = FirstNames[n % FirstNames.Length];
        var last = LastNames[n / FirstNames.Length % LastNames.Length];
        var email = $"{first}.{last}.{n}{tag}@{Domains[n % Domains.Length]}";
        var firstName = n % 10 < 7 ? char.ToUpperInvariant(first[0]) + first[1..] : null;
        return new SampleReader(email, firstName, TimeZones[n % TimeZones.Length], Discreet: n % 10 == 3, NoTracking: n % 20 == 7);
    }
}
