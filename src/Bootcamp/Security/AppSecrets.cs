namespace Bootcamp.Security;

/// <summary>Secrets every process shares, loaded from the database once at start-up.</summary>
public sealed class AppSecrets
{
    private byte[]? _addressHashKey;
    private byte[]? _linkTokenKey;

    /// <summary>HMAC key for address hashes, Message-IDs and return paths.</summary>
    public byte[] AddressHashKey
    {
        get => _addressHashKey ?? throw NotLoaded();
        set => _addressHashKey = value;
    }

    /// <summary>AES-256-GCM key of the lesson links' tokens (<see cref="SealedLinkTokens"/>).</summary>
    public byte[] LinkTokenKey
    {
        get => _linkTokenKey ?? throw NotLoaded();
        set => _linkTokenKey = value;
    }

    private static InvalidOperationException NotLoaded() => new("Secrets are loaded at start-up, before the host serves.");
}
