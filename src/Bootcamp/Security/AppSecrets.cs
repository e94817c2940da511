namespace Bootcamp.Security;

/// <summary>One generation of a named secret: its id travels with what it made (a token's header byte).</summary>
public sealed record SecretKey(int Id, byte[] Value);

/// <summary>Secrets every process shares, loaded from the database once at start-up.</summary>
public sealed class AppSecrets
{
    private IReadOnlyList<SecretKey>? _addressHashKeys;
    private IReadOnlyList<SecretKey>? _linkTokenKeys;

    /// <summary>
    /// Every generation of the address-hash key, newest first. New suppression hashes and sign-up counters use
    /// the newest; a suppression is looked up under every one, so one made before a rotation still matches.
    /// </summary>
    public IReadOnlyList<SecretKey> AddressHashKeys
    {
        get => _addressHashKeys ?? throw NotLoaded();
        set => _addressHashKeys = Newest(value);
    }

    /// <summary>
    /// The first address-hash key, for what must come out the same across a rotation: Message-IDs (a resent
    /// lesson keeps its own) and return paths (a bounce to an address sent before the rotation still decodes).
    /// </summary>
    /// <remarks>Set: a single generation, id 1 (a database that never rotated).</remarks>
    public byte[] AddressHashKey
    {
        get => AddressHashKeys[^1].Value;
        set => AddressHashKeys = [new SecretKey(1, value)];
    }

    /// <summary>
    /// Every generation of the AES-256-GCM key of the lesson links' tokens (<see cref="SealedLinkTokens"/>), newest
    /// first: new tokens are sealed with the newest, and a token names the key it was sealed with.
    /// </summary>
    public IReadOnlyList<SecretKey> LinkTokenKeys
    {
        get => _linkTokenKeys ?? throw NotLoaded();
        set => _linkTokenKeys = Newest(value);
    }

    /// <summary>The newest link-token key. Set: a single generation, id 1 (a database that never rotated).</summary>
    public byte[] LinkTokenKey
    {
        get => LinkTokenKeys[0].Value;
        set => LinkTokenKeys = [new SecretKey(1, value)];
    }

    private static IReadOnlyList<SecretKey> Newest(IReadOnlyList<SecretKey> keys) =>
        keys.Count == 0 ? throw new ArgumentException("At least one key.", nameof(keys)) : [.. keys.OrderByDescending(k => k.Id)];

    private static InvalidOperationException NotLoaded() => new("Secrets are loaded at start-up, before the host serves.");
}
