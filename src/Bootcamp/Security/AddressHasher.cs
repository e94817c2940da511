using System.Security.Cryptography;
using System.Text;
using Bootcamp.Domain;

namespace Bootcamp.Security;

/// <summary>
/// Keyed HMAC of a lower-cased address: what the suppression list stores instead of the address.
/// The keys are random secrets kept in the database (see <see cref="AppSecrets"/>), so every process
/// computes the same hash and an erased person is still recognised if they sign up again.
/// </summary>
/// <remarks>
/// After a rotation, hashes are made with the newest key and looked up under every key (<see cref="Hashes"/>):
/// a suppression made before it keeps matching without anyone having to re-key rows they cannot read back
/// (the address is gone; only its hash is left).
/// </remarks>
public sealed class AddressHasher(AppSecrets secrets)
{
    /// <summary>The hash a new suppression is stored under: the newest key's.</summary>
    public string Hash(string address) => Hash(secrets.AddressHashKeys[0].Value, Bytes(address));

    /// <summary>The address's hash under every key, newest first: a suppression is any of them.</summary>
    public string[] Hashes(string address)
    {
        var bytes = Bytes(address);
        var keys = secrets.AddressHashKeys;
        var hashes = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            hashes[i] = Hash(keys[i].Value, bytes);
        }
        return hashes;
    }

    /// <summary>A sign-up counter's key: <paramref name="value"/> under the newest key, apart from address hashes by <paramref name="kind"/>.</summary>
    public string CounterKey(string kind, string value) =>
        Hash(secrets.AddressHashKeys[0].Value, Encoding.UTF8.GetBytes($"signup-counter:{kind}:{value}"));

    private static byte[] Bytes(string address) => Encoding.UTF8.GetBytes(EmailAddress.Key(address));

    private static string Hash(byte[] key, byte[] bytes) => Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes));
}
