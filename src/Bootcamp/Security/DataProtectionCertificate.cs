using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bootcamp.Operations;

namespace Bootcamp.Security;

/// <summary>
/// The certificate the Data Protection keys are encrypted with before they are written to the database
/// (<c>ProtectKeysWithCertificate</c>): a stolen backup then holds keys nobody can use without the certificate's
/// private key, which lives outside the database (a file or a secret mount). Without one, the keys are stored as
/// plain XML, and start-up says so.
/// </summary>
public static class DataProtectionCertificate
{
    public const string PathKey = "DataProtection:CertificatePath";
    public const string PasswordKey = "DataProtection:CertificatePassword";

    /// <summary>The configured certificate, or null when none is; a file that cannot serve stops start-up naming the key.</summary>
    public static X509Certificate2? Load(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration[PathKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }
        var path = Path.GetFullPath(configured, contentRoot);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[PasswordKey]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(PathKey, $"cannot be read: {e.Message}");
        }
        catch (CryptographicException e)
        {
            throw new ConfigurationException(PathKey, $"is not a PKCS#12 (.pfx) file that {PasswordKey} opens ({e.Message}).");
        }
        // The keys are encrypted to the certificate's RSA public key and read back with its private key.
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            certificate.Dispose();
            throw new ConfigurationException(PathKey, "holds no RSA private key; export the certificate together with its RSA key (openssl pkcs12 -export -inkey …).");
        }
        return certificate;
    }
}
