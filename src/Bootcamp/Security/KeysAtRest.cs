using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bootcamp.Operations;

namespace Bootcamp.Security;

/// <summary>
/// Whether the keys stored in the database are encrypted, and the sealing of the link-token and address-hash keys
/// (the <c>secrets</c> table) with the Data Protection certificate: a stolen backup then forges no lesson or
/// <c>/m/</c> link and tests no guessed address against the suppression hashes.
/// </summary>
/// <remarks>
/// The certificate's RSA key wraps each 32-byte secret directly (RSA-OAEP-SHA256), rather than through the
/// app's <c>IDataProtector</c>: these secrets must open for as long as suppressions exist, and a Data Protection
/// key ring is something operators purge or reset when cookies misbehave; on the certificate alone, a secret opens
/// whenever the certificate is there, whatever happened to the key ring, and a fresh multi-process start has no
/// key ring to agree on first. Sealed value: "BCS1" | SHA-256 of the certificate (to say which one is missing) |
/// RSA-OAEP ciphertext. A plain value is the 32 key bytes themselves, as every database before this stored them.
/// </remarks>
public sealed class KeysAtRest(X509Certificate2? certificate)
{
    private static ReadOnlySpan<byte> Magic => "BCS1"u8;
    private const int ThumbprintLength = 32;

    /// <summary>Whether keys are encrypted before they are stored (a certificate is configured).</summary>
    public bool Encrypted => certificate is not null;

    /// <summary>A stored value that is sealed (the others are plain key bytes).</summary>
    public static bool IsSealed(byte[] stored) =>
        stored.Length > Magic.Length + ThumbprintLength && stored.AsSpan(0, Magic.Length).SequenceEqual(Magic);

    /// <summary>What to store for <paramref name="key"/>: sealed with the certificate, or the key itself without one.</summary>
    public byte[] Seal(byte[] key)
    {
        if (certificate is null)
        {
            return key;
        }
        using var rsa = certificate.GetRSAPublicKey()!;
        return [.. Magic, .. Thumbprint(certificate), .. rsa.Encrypt(key, RSAEncryptionPadding.OaepSHA256)];
    }

    /// <summary>The key a stored value holds; a sealed one this process cannot open stops start-up naming the setting.</summary>
    public byte[] Open(string name, byte[] stored)
    {
        if (!IsSealed(stored))
        {
            return stored;
        }
        var sealedWith = Convert.ToHexString(stored, Magic.Length, ThumbprintLength);
        if (certificate is null)
        {
            throw new ConfigurationException(DataProtectionCertificate.PathKey,
                $"is not set, but the '{name}' key in the database is encrypted with a certificate (SHA-256 {sealedWith}); set it to that certificate's .pfx.");
        }
        var configured = Convert.ToHexString(Thumbprint(certificate));
        if (configured != sealedWith)
        {
            throw new ConfigurationException(DataProtectionCertificate.PathKey,
                $"names certificate SHA-256 {configured}, but the '{name}' key in the database is encrypted with certificate SHA-256 {sealedWith}; set it to that one.");
        }
        using var rsa = certificate.GetRSAPrivateKey()!;
        try
        {
            return rsa.Decrypt(stored.AsSpan(Magic.Length + ThumbprintLength), RSAEncryptionPadding.OaepSHA256);
        }
        catch (CryptographicException e)
        {
            throw new ConfigurationException(DataProtectionCertificate.PathKey, $"does not open the '{name}' key in the database ({e.Message}).");
        }
    }

    private static byte[] Thumbprint(X509Certificate2 certificate) => certificate.GetCertHash(HashAlgorithmName.SHA256);
}
