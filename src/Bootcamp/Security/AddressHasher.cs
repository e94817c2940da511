using System.Security.Cryptography;
using System.Text;
using Bootcamp.Domain;

namespace Bootcamp.Security;

/// <summary>
/// Keyed HMAC of a lower-cased address: what the suppression list stores instead of the address.
/// The key is one random secret kept in the database (see <see cref="AppSecrets"/>), so every process
/// computes the same hash and an erased person is still recognised if they sign up again.
/// </summary>
public sealed class AddressHasher(AppSecrets secrets)
{
    public string Hash(string address)
    {
        var bytes = Encoding.UTF8.GetBytes(EmailAddress.Key(address));
        return Convert.ToHexStringLower(HMACSHA256.HashData(secrets.AddressHashKey, bytes));
    }
}
