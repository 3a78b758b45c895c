using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EchoNet.Tests.Support;

/// <summary>
/// A self-signed certificate for localhost (and 127.0.0.1, ::1) made once per test run by the library, its PEM files for the real
/// clients (openssl, socat, ncat, python3), and client options that trust exactly it.
/// </summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> LocalhostCertificate = new(() => EchoCertificates.CreateSelfSigned("localhost", TimeSpan.FromDays(30)));
    private static readonly Lazy<(string Certificate, string Key)> LocalhostPem = new(() => WritePem(Localhost));

    /// <summary>Gets the localhost certificate, with its private key.</summary>
    public static X509Certificate2 Localhost => LocalhostCertificate.Value;

    /// <summary>Gets the path of the localhost certificate in PEM (a CA file for clients that verify).</summary>
    public static string CertificatePemPath => LocalhostPem.Value.Certificate;

    /// <summary>Gets the path of the localhost certificate's private key in PEM.</summary>
    public static string KeyPemPath => LocalhostPem.Value.Key;

    /// <summary>Client options that trust the localhost certificate and nothing else, for the name localhost.</summary>
    public static SslClientAuthenticationOptions TrustingClient(SslProtocols protocols = SslProtocols.None) => new()
    {
        TargetHost = "localhost",
        EnabledSslProtocols = protocols,
        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(Localhost.RawData),
    };

    private static (string Certificate, string Key) WritePem(X509Certificate2 certificate)
    {
        string directory = Directory.CreateTempSubdirectory("echonet-tls-").FullName;
        string certificatePath = Path.Combine(directory, "localhost.crt");
        string keyPath = Path.Combine(directory, "localhost.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
