using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Bootcamp.Domain;
using Microsoft.AspNetCore.DataProtection;

namespace Bootcamp.Security;

/// <summary>
/// Opaque tokens for subscriber links: the id of a row (and a link index for clicks), under one purpose
/// per kind. Confirmation links are protected by ASP.NET Core Data Protection; the links in lessons, made
/// and opened far more often, are sealed with AES-GCM (<see cref="SealedLinkTokens"/>), and lesson links
/// made by Data Protection before that still open. Keys live in the database, so a token made by one
/// process opens in another and after a restart. No address ever travels in a token.
/// </summary>
public sealed class LinkTokens
{
    private readonly IDataProtector[] _protectors;
    private readonly SealedLinkTokens _sealed;

    public LinkTokens(IDataProtectionProvider provider, AppSecrets secrets)
    {
        _sealed = new SealedLinkTokens(secrets);
        var purposes = Enum.GetValues<TokenPurpose>();
        _protectors = new IDataProtector[purposes.Length];
        foreach (var purpose in purposes)
        {
            _protectors[(int)purpose] = provider.CreateProtector("Bootcamp.Link", purpose.ToString());
        }
    }

    // id (8) + link index (2) + issued at, Unix seconds (4): still one AES block after padding.
    internal const int PayloadLength = 14;

    public string Create(TokenPurpose purpose, long id, int index = 0, DateTimeOffset? issuedAt = null)
    {
        Span<byte> payload = stackalloc byte[PayloadLength];
        BinaryPrimitives.WriteInt64BigEndian(payload, id);
        BinaryPrimitives.WriteUInt16BigEndian(payload[8..], checked((ushort)index));
        BinaryPrimitives.WriteUInt32BigEndian(payload[10..], (uint)Math.Max(0, (issuedAt ?? DateTimeOffset.UnixEpoch).ToUnixTimeSeconds()));
        // Confirmation links stay with Data Protection, as the sign-up design has it: one per sign-up costs nothing.
        return Base64Url.EncodeToString(purpose == TokenPurpose.Confirm
            ? _protectors[(int)purpose].Protect(payload.ToArray())
            : _sealed.Seal(purpose, payload));
    }

    public bool TryRead(TokenPurpose purpose, string? token, out long id, out int index) =>
        TryRead(purpose, token, out id, out index, out _);

    /// <summary>False for anything not made by <see cref="Create"/> with the same purpose: altered, truncated, foreign.</summary>
    /// <param name="issuedAt">When the token was made: for lesson links, the moment the email was built.</param>
    public bool TryRead(TokenPurpose purpose, string? token, out long id, out int index, out DateTimeOffset issuedAt) =>
        TryRead(purpose, token.AsSpan(), out id, out index, out issuedAt);

    /// <summary>The same, on a slice of the request path: the open pixel reads its token without copying it out.</summary>
    public bool TryRead(TokenPurpose purpose, ReadOnlySpan<char> token, out long id, out int index, out DateTimeOffset issuedAt)
    {
        id = 0;
        index = 0;
        issuedAt = DateTimeOffset.UnixEpoch;
        // Data Protection payloads are ~100 bytes; anything far longer is not ours and not worth decoding.
        if (token.IsEmpty || token.Length > 512 || !Base64Url.IsValid(token))
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[Base64Url.GetMaxDecodedLength(token.Length)];
        bytes = bytes[..Base64Url.DecodeFromChars(token, bytes)];
        Span<byte> payload = stackalloc byte[PayloadLength];
        if (SealedLinkTokens.IsSealed(bytes))
        {
            if (!_sealed.TryOpen(purpose, bytes, payload))
            {
                return false;
            }
        }
        else
        {
            // Data Protection: confirmation links, and lesson links sent before the sealed format.
            byte[] unprotected;
            try
            {
                unprotected = _protectors[(int)purpose].Unprotect(bytes.ToArray());
            }
            catch (CryptographicException)
            {
                return false;
            }
            if (unprotected.Length != PayloadLength)
            {
                return false;
            }
            unprotected.CopyTo(payload);
        }
        id = BinaryPrimitives.ReadInt64BigEndian(payload);
        index = BinaryPrimitives.ReadUInt16BigEndian(payload[8..]);
        issuedAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(payload[10..]));
        return true;
    }
}
