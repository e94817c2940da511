namespace Bootcamp.Security;

/// <summary>Secrets every process shares, loaded from the database once at start-up.</summary>
public sealed class AppSecrets
{
    private byte[]? _addressHashKey;

    public byte[] AddressHashKey
    {
        get => _addressHashKey ?? throw new InvalidOperationException("Secrets are loaded at start-up, before the host serves.");
        set => _addressHashKey = value;
    }
}
