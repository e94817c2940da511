namespace Bootcamp.Operations;

/// <summary>Invalid configuration: start-up stops with one line naming the key.</summary>
public sealed class ConfigurationException(string key, string problem) : Exception($"{key}: {problem}")
{
    public string Key { get; } = key;
}
