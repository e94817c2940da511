using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bootcamp.Domain;
using MimeKit;

namespace Bootcamp.Bounces;

/// <summary>What an address says about a lesson when read against the return-path template.</summary>
public enum ReturnPathMatch
{
    /// <summary>Not shaped like the template: some other address.</summary>
    NotOurs,
    /// <summary>Shaped like the template, but its check does not hold: forged or mangled.</summary>
    Forged,
    Valid,
}

/// <summary>
/// VERP: each lesson's envelope sender is the template with <c>{id}</c> replaced by
/// <c>{lesson id}-{check}</c>, the check being 10 hex digits of a keyed HMAC of the id. A DSN comes
/// back to that address, so it names the lesson even when the DSN itself quotes nothing of it;
/// the check stops a forged bounce from stopping someone else's course. Digits, '-' and lower-case
/// hex only: it survives MTAs that lower-case local parts. Pure: no I/O.
/// </summary>
public sealed class ReturnPathCodec
{
    public const string Placeholder = "{id}";
    private const int CheckBytes = 5;

    private readonly string _prefix;
    private readonly string _suffix;
    private readonly byte[] _key;

    public ReturnPathCodec(string template, byte[] key)
    {
        if (Problem(template) is { } problem)
        {
            throw new ArgumentException(problem, nameof(template));
        }
        var at = template.IndexOf(Placeholder, StringComparison.Ordinal);
        _prefix = template[..at];
        _suffix = template[(at + Placeholder.Length)..];
        _key = key;
    }

    public string AddressFor(long lessonId) =>
        string.Create(CultureInfo.InvariantCulture, $"{_prefix}{lessonId}-{Check(lessonId)}{_suffix}");

    public ReturnPathMatch Read(string? address, out long lessonId)
    {
        lessonId = 0;
        var value = Bare(address);
        if (value.Length <= _prefix.Length + _suffix.Length
            || !value.StartsWith(_prefix, StringComparison.OrdinalIgnoreCase)
            || !value.EndsWith(_suffix, StringComparison.OrdinalIgnoreCase))
        {
            return ReturnPathMatch.NotOurs;
        }
        var token = value[_prefix.Length..^_suffix.Length].ToLowerInvariant();
        var dash = token.LastIndexOf('-');
        if (dash <= 0 || token.Length - dash - 1 != CheckBytes * 2
            || !long.TryParse(token.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return ReturnPathMatch.Forged;
        }
        var expected = Encoding.ASCII.GetBytes(Check(id));
        var actual = Encoding.ASCII.GetBytes(token[(dash + 1)..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return ReturnPathMatch.Forged;
        }
        lessonId = id;
        return ReturnPathMatch.Valid;
    }

    /// <summary>Why a template can't be used, naming no key (the caller does); null when it can.</summary>
    public static string? Problem(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return "is empty";
        }
        var at = template.IndexOf(Placeholder, StringComparison.Ordinal);
        if (at < 0 || template.IndexOf(Placeholder, at + 1, StringComparison.Ordinal) >= 0)
        {
            return $"'{template}' must contain {Placeholder} exactly once, as in bounces+{Placeholder}@example.org";
        }
        if (Text.HasControlCharacters(template) || template.Any(char.IsWhiteSpace) || template.Any(c => c > 127) || template.IndexOfAny(['<', '>', '"', ',']) >= 0)
        {
            return $"'{template}' must be a bare ASCII address such as bounces+{Placeholder}@example.org";
        }
        // The longest token an id can make must still give a valid address: local part ≤ 64 characters.
        var sample = template.Replace(Placeholder, $"{long.MaxValue}-{new string('a', CheckBytes * 2)}", StringComparison.Ordinal);
        var atSign = sample.LastIndexOf('@');
        if (!MailboxAddress.TryParse(sample, out var mailbox) || mailbox.Address != sample || atSign <= 0
            || template.LastIndexOf('@') < at || atSign > 64 || atSign == sample.Length - 1)
        {
            return $"'{template}' is not an address with {Placeholder} in its local part, such as bounces+{Placeholder}@example.org";
        }
        return null;
    }

    private string Check(long lessonId)
    {
        var hash = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"return-path:{lessonId}")));
        return Convert.ToHexStringLower(hash, 0, CheckBytes);
    }

    private static string Bare(string? address)
    {
        var value = (address ?? string.Empty).Trim();
        if (value.StartsWith('<') && value.EndsWith('>'))
        {
            value = value[1..^1].Trim();
        }
        return value;
    }
}
