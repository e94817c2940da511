using System.Security.Cryptography;
using System.Text;

namespace Bootcamp.Webhooks;

/// <summary>Standard Webhooks signing: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> under the decoded secret.</summary>
public static class WebhookSignature
{
    private const string Prefix = "whsec_";

    /// <summary>The key of a <c>whsec_…</c> secret, or null when it is not one.</summary>
    public static byte[]? TryReadSecret(string? secret)
    {
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            var key = Convert.FromBase64String(secret[Prefix.Length..]);
            return key.Length > 0 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Sign(byte[] key, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
}
