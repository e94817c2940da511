using Bootcamp.Operations;
using Microsoft.Extensions.Configuration;

namespace Bootcamp.Security;

/// <summary>
/// Rotation of the shared secrets: the newest key id each must have. Raising one adds a new key at the next
/// start (by whichever process starts first; the others find it); nothing ever lowers or removes one. Give every
/// process the same figures and restart them all: a process started before the rotation keeps sealing with,
/// and only opening, the keys it loaded.
/// </summary>
public sealed record KeyOptions(int LinkTokenKeyId, int AddressHashKeyId)
{
    public const string LinkTokenKey = "Keys:LinkTokenKeyId";
    public const string AddressHashKey = "Keys:AddressHashKeyId";

    /// <summary>A link token carries its key id in one byte.</summary>
    public const int MaxKeyId = 255;

    public static KeyOptions Read(IConfiguration configuration) =>
        new(Id(configuration, LinkTokenKey), Id(configuration, AddressHashKey));

    private static int Id(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return 1;
        }
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id is >= 1 and <= MaxKeyId
            ? id
            : throw new ConfigurationException(key, $"'{value}' is not a key id between 1 and {MaxKeyId}.");
    }
}
