namespace Bootcamp.Persistence;

/// <summary>A named random secret, created once by whichever process starts first.</summary>
public sealed class SecretRecord
{
    public required string Name { get; set; }
    public required byte[] Value { get; set; }
}
