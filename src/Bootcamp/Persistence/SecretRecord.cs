namespace Bootcamp.Persistence;

/// <summary>
/// One generation of a named random secret, created once by whichever process asks for it first. A rotation adds
/// a generation with the next <see cref="KeyId"/>; older ones stay, so what they made still opens or matches.
/// </summary>
public sealed class SecretRecord
{
    public required string Name { get; set; }

    /// <summary>1 for the first generation; a lesson link's token names the one it was sealed with.</summary>
    public int KeyId { get; set; } = 1;

    public required byte[] Value { get; set; }
}
