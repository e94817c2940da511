using System.Security.Cryptography;
using Bootcamp.Domain;
using Microsoft.Extensions.ObjectPool;

namespace Bootcamp.Security;

/// <summary>
/// The token format of the links in lessons: version 2 (1) | key id (1) | nonce (12) | payload encrypted with
/// AES-256-GCM (14) | tag (16), with the version, the key id and the purpose as associated data: 44 bytes, 59
/// characters in a URL. Version 1, sealed before keys had ids, is the same without the key id byte and opens
/// with key 1. One AES-GCM operation under a key set up once per pooled instance: ~1 µs, where Data
/// Protection's Unprotect derived a key and ran AES-CBC and HMAC on a fresh OpenSSL context for every token
/// (~7.8 µs; a quarter of the pixel's CPU and ~8% of a lesson's). The keys are secrets in the database, like
/// the Data Protection keys, so every process and every restart opens every token.
/// </summary>
/// <remarks>
/// New tokens are sealed with the newest key (<see cref="AppSecrets.LinkTokenKeys"/>); a token names its key,
/// so one sealed before a rotation opens until the reader's course no longer needs it. Nonces are random:
/// NIST's bound for random 96-bit nonces is 2^32 tokens per key, and a million readers make ~50 million; a
/// rotation (Keys:LinkTokenKeyId) starts a new count.
/// </remarks>
internal sealed class SealedLinkTokens(AppSecrets secrets)
{
    public const byte Version = 2;
    private const byte UnnumberedVersion = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    public const int Length = 2 + NonceLength + LinkTokens.PayloadLength + TagLength;
    private const int UnnumberedLength = Length - 1;

    // AesGcm keeps native cipher state: one pool per key, each instance keyed once. Made on first use (the keys
    // are loaded at start-up, after this is constructed); two threads racing here make two sets, one dropped.
    private Dictionary<int, ObjectPool<AesGcm>>? _ciphers;
    private SecretKey? _newest;

    private Dictionary<int, ObjectPool<AesGcm>> Ciphers => _ciphers ??= secrets.LinkTokenKeys.ToDictionary(
        k => k.Id, k => (ObjectPool<AesGcm>)new DefaultObjectPool<AesGcm>(new CipherPolicy(k.Value), Environment.ProcessorCount * 4));

    private SecretKey Newest => _newest ??= secrets.LinkTokenKeys[0];

    public byte[] Seal(TokenPurpose purpose, ReadOnlySpan<byte> payload)
    {
        var keyId = (byte)Newest.Id;
        var token = new byte[Length];
        token[0] = Version;
        token[1] = keyId;
        var nonce = token.AsSpan(2, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        var pool = Ciphers[keyId];
        var cipher = pool.Get();
        try
        {
            cipher.Encrypt(nonce, payload, token.AsSpan(2 + NonceLength, LinkTokens.PayloadLength), token.AsSpan(Length - TagLength),
                AssociatedData(Version, keyId, purpose, stackalloc byte[3]));
        }
        finally
        {
            pool.Return(cipher);
        }
        return token;
    }

    /// <summary>Whether <paramref name="token"/> is in this format at all (then only <see cref="TryOpen"/> may open it).</summary>
    public static bool IsSealed(ReadOnlySpan<byte> token) =>
        token.Length == Length && token[0] == Version || token.Length == UnnumberedLength && token[0] == UnnumberedVersion;

    public bool TryOpen(TokenPurpose purpose, ReadOnlySpan<byte> token, Span<byte> payload)
    {
        var numbered = token[0] == Version;
        var keyId = numbered ? token[1] : (byte)1;
        if (!Ciphers.TryGetValue(keyId, out var pool))
        {
            // A key this process does not hold: forged, or added after it started.
            return false;
        }
        var body = numbered ? token[2..] : token[1..];
        Span<byte> associated = stackalloc byte[3];
        var cipher = pool.Get();
        try
        {
            cipher.Decrypt(body[..NonceLength], body.Slice(NonceLength, LinkTokens.PayloadLength), body[^TagLength..], payload,
                numbered ? AssociatedData(Version, keyId, purpose, associated) : AssociatedData(UnnumberedVersion, null, purpose, associated));
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            pool.Return(cipher);
        }
    }

    // The purpose spelled out, not (byte)purpose: tokens in inboxes must keep opening if the enum is ever reordered.
    // Version 1 covered the version and the purpose only.
    private static ReadOnlySpan<byte> AssociatedData(byte version, byte? keyId, TokenPurpose purpose, Span<byte> buffer)
    {
        buffer[0] = version;
        var length = 1;
        if (keyId is { } id)
        {
            buffer[length++] = id;
        }
        buffer[length++] = purpose switch
        {
            TokenPurpose.Confirm => 0,
            TokenPurpose.Open => 1,
            TokenPurpose.Click => 2,
            TokenPurpose.Done => 3,
            TokenPurpose.Unsubscribe => 4,
            TokenPurpose.Manage => 5,
            _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
        };
        return buffer[..length];
    }

    private sealed class CipherPolicy(byte[] key) : PooledObjectPolicy<AesGcm>
    {
        public override AesGcm Create() => new(key, TagLength);

        public override bool Return(AesGcm obj) => true;
    }
}
