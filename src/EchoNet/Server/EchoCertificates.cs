using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EchoNet;

/// <summary>
/// Server certificates for <see cref="EchoServerBuilder.UseTls(X509Certificate2)"/>: loaded from a PEM or PKCS#12 file
/// with a message that names the file when it cannot be, or made on the spot for a test on localhost.
/// </summary>
public static class EchoCertificates
{
    /// <summary>
    /// Loads a server certificate with its private key: a PEM certificate with its key in <paramref name="keyPath"/> (or in
    /// the same file), or a PKCS#12 (.pfx, .p12) file. PEM is told from PKCS#12 by the file's content, not its name.
    /// </summary>
    /// <param name="path">The certificate file.</param>
    /// <param name="keyPath">The PEM private key, or <see langword="null"/> when the key is in <paramref name="path"/> (PEM) or the file is PKCS#12.</param>
    /// <param name="password">The PKCS#12 file's password, or the encrypted PEM key's; <see langword="null"/> for none.</param>
    /// <returns>The certificate, with its private key.</returns>
    /// <exception cref="ArgumentException">A path is empty, a file is missing, it cannot be read as a certificate (or the password is wrong), or it has no private key; the message names the file.</exception>
    public static X509Certificate2 Load(string path, string? keyPath = null, string? password = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Require(path, nameof(path));
        if (keyPath is not null)
        {
            Require(keyPath, nameof(keyPath));
        }

        X509Certificate2 certificate;
        try
        {
            bool pem = File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal);
            if (!pem && keyPath is not null)
            {
                throw new ArgumentException($"'{path}' is not PEM, so it is read as PKCS#12, which holds its own key: give no key file with it.", nameof(keyPath));
            }

            certificate = !pem
                ? X509CertificateLoader.LoadPkcs12FromFile(path, password)
                : password is null
                    ? X509Certificate2.CreateFromPemFile(path, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException(
                $"Cannot read a certificate and its key from '{path}'{(keyPath is null ? "" : $" and '{keyPath}'")}: {e.Message}. Give a PEM certificate with its PEM key, or a PKCS#12 file with its password.",
                nameof(path),
                e);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"'{path}' holds a certificate without its private key: give the key file too, or a PKCS#12 file that holds both.", nameof(path));
        }

        return certificate;
    }

    /// <summary>
    /// Makes a self-signed certificate for <paramref name="hostName"/>, 127.0.0.1 and ::1 (ECDSA P-256, SHA-256, for
    /// server authentication), valid from an hour ago for <paramref name="validFor"/>. No client trusts it unless told to:
    /// for tests, and for clients that pin its fingerprint (<see cref="Sha256Fingerprint"/>).
    /// </summary>
    /// <param name="hostName">The DNS name in the certificate's subject and subject alternative names.</param>
    /// <param name="validFor">How long it is valid; a day when <see langword="null"/>.</param>
    /// <returns>The certificate, with its private key.</returns>
    public static X509Certificate2 CreateSelfSigned(string hostName = "localhost", TimeSpan? validFor = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={hostName}"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 made = request.CreateSelfSigned(now.AddHours(-1), now + (validFor ?? TimeSpan.FromDays(1)));

        // Through PKCS#12 so the key is one every platform's TLS stack can use (Windows refuses an ephemeral one).
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Returns the SHA-256 fingerprint of <paramref name="certificate"/> as colon-separated hex pairs, as <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The fingerprint, such as <c>3A:4F:…</c>.</returns>
    public static string Sha256Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        byte[] hash = certificate.GetCertHash(HashAlgorithmName.SHA256);
        return string.Join(':', hash.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
    }

    private static void Require(string path, string parameter)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"The file '{path}' does not exist.", parameter);
        }
    }
}
