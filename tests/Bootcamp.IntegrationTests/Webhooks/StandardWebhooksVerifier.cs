using System.Security.Cryptography;
using System.Text;

namespace Bootcamp.IntegrationTests.Webhooks;

/// <summary>
/// A receiver's check, written from the Standard Webhooks specification rather than from the service's
/// code: the secret is "whsec_" and base64; the signed content is "{webhook-id}.{webhook-timestamp}.{body}";
/// the header holds space-separated "v1,{base64 HMAC-SHA256}" signatures, any of which may match; the
/// timestamp must be within five minutes of now.
/// </summary>
internal static class StandardWebhooksVerifier
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static bool Verify(string secret, string id, string timestamp, string body, string signatureHeader, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, out var seconds) || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false;
        }
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = candidate.Split(',', 2);
            if (parts is ["v1", var signature] && CryptographicOperations.FixedTimeEquals(expected, Convert.FromBase64String(signature)))
            {
                return true;
            }
        }
        return false;
    }
}
