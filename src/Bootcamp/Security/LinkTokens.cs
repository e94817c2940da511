using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Bootcamp.Domain;
using Microsoft.AspNetCore.DataProtection;

namespace Bootcamp.Security;

/// <summary>
/// Opaque tokens for subscriber links: the id of a row (and a link index for clicks), protected by
/// ASP.NET Core Data Protection under one purpose per kind. Keys live in the database, so a token made
/// by one process opens in another and after a restart. No address ever travels in a token.
/// </summary>
public sealed class LinkTokens
{
    private readonly IDataProtector[] _protectors;

    public LinkTokens(IDataProtectionProvider provider)
    {
        var purposes = Enum.GetValues<TokenPurpose>();
        _protectors = new IDataProtector[purposes.Length];
        foreach (var purpose in purposes)
        {
            _protectors[(int)purpose] = provider.CreateProtector("Bootcamp.Link", purpose.ToString());
        }
    }

    public string Create(TokenPurpose purpose, long id, int index = 0)
    {
        Span<byte> payload = stackalloc byte[10];
        BinaryPrimitives.WriteInt64BigEndian(payload, id);
        BinaryPrimitives.WriteUInt16BigEndian(payload[8..], checked((ushort)index));
        return Base64Url.EncodeToString(_protectors[(int)purpose].Protect(payload.ToArray()));
    }

    /// <summary>False for anything not made by <see cref="Create"/> with the same purpose: altered, truncated, foreign.</summary>
    public bool TryRead(TokenPurpose purpose, string? token, out long id, out int index)
    {
        id = 0;
        index = 0;
        // Data Protection payloads are ~100 bytes; anything far longer is not ours and not worth decoding.
        if (string.IsNullOrEmpty(token) || token.Length > 512 || !Base64Url.IsValid(token))
        {
            return false;
        }
        byte[] payload;
        try
        {
            payload = _protectors[(int)purpose].Unprotect(Base64Url.DecodeFromChars(token));
        }
        catch (CryptographicException)
        {
            return false;
        }
        if (payload.Length != 10)
        {
            return false;
        }
        id = BinaryPrimitives.ReadInt64BigEndian(payload);
        index = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(8));
        return true;
    }
}
