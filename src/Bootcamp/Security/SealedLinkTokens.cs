using System.Security.Cryptography;
using Bootcamp.Domain;
using Microsoft.Extensions.ObjectPool;

namespace Bootcamp.Security;

/// <summary>
/// The token format of the links in lessons: version (1) | nonce (12) | payload encrypted with AES-256-GCM
/// (14) | tag (16), with the version and the purpose as associated data: 43 bytes, 58 characters in a URL.
/// One AES-GCM operation under a key set up once per pooled instance: ~1 µs, where Data Protection's
/// Unprotect derived a key and ran AES-CBC and HMAC on a fresh OpenSSL context for every token (~7.8 µs;
/// a quarter of the pixel's CPU and ~8% of a lesson's). The key is a secret in the database, like the
/// Data Protection keys, so every process and every restart opens every token.
/// </summary>
/// <remarks>
/// Nonces are random: NIST's bound for random 96-bit nonces is 2^32 tokens per key, and a million readers
/// make ~50 million. The version byte leaves room for a new key long before that.
/// </remarks>
internal sealed class SealedLinkTokens(AppSecrets secrets)
{
    public const byte Version = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    public const int Length = 1 + NonceLength + LinkTokens.PayloadLength + TagLength;

    // AesGcm keeps native cipher state: one instance per concurrent use, each keyed once. Made on first use
    // (the key is loaded at start-up, after this is constructed); two threads racing here make two pools,
    // one of which is dropped.
    private ObjectPool<AesGcm>? _ciphers;

    private ObjectPool<AesGcm> Ciphers =>
        _ciphers ??= new DefaultObjectPool<AesGcm>(new CipherPolicy(secrets.LinkTokenKey), Environment.ProcessorCount * 4);

    public byte[] Seal(TokenPurpose purpose, ReadOnlySpan<byte> payload)
    {
        var token = new byte[Length];
        token[0] = Version;
        var nonce = token.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        var cipher = Ciphers.Get();
        try
        {
            cipher.Encrypt(nonce, payload, token.AsSpan(1 + NonceLength, LinkTokens.PayloadLength), token.AsSpan(Length - TagLength), AssociatedData(purpose));
        }
        finally
        {
            Ciphers.Return(cipher);
        }
        return token;
    }

    /// <summary>Whether <paramref name="token"/> is in this format at all (then only <see cref="TryOpen"/> may open it).</summary>
    public static bool IsSealed(ReadOnlySpan<byte> token) => token.Length == Length && token[0] == Version;

    public bool TryOpen(TokenPurpose purpose, ReadOnlySpan<byte> token, Span<byte> payload)
    {
        var cipher = Ciphers.Get();
        try
        {
            cipher.Decrypt(token.Slice(1, NonceLength), token.Slice(1 + NonceLength, LinkTokens.PayloadLength), token[(Length - TagLength)..], payload, AssociatedData(purpose));
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            Ciphers.Return(cipher);
        }
    }

    // Spelled out, not (byte)purpose: tokens in inboxes must keep opening if the enum is ever reordered.
    private static ReadOnlySpan<byte> AssociatedData(TokenPurpose purpose) => purpose switch
    {
        TokenPurpose.Confirm => [Version, 0],
        TokenPurpose.Open => [Version, 1],
        TokenPurpose.Click => [Version, 2],
        TokenPurpose.Done => [Version, 3],
        TokenPurpose.Unsubscribe => [Version, 4],
        TokenPurpose.Manage => [Version, 5],
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };

    private sealed class CipherPolicy(byte[] key) : PooledObjectPolicy<AesGcm>
    {
        public override AesGcm Create() => new(key, TagLength);

        public override bool Return(AesGcm obj) => true;
    }
}
