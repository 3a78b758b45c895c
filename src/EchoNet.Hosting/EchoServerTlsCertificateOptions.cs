namespace EchoNet.Hosting;

/// <summary>
/// The certificate a hosted echo server serves TLS with, from the <c>TlsCertificate</c> section of its configuration
/// (<c>EchoServer:TlsCertificate:Path</c>, <c>:KeyPath</c>, <c>:Password</c>). Loaded as
/// <see cref="EchoCertificates.Load(string, string?, string?)"/> loads it, when the host starts; a file that cannot be
/// loaded stops the start with a message naming the setting.
/// </summary>
public sealed class EchoServerTlsCertificateOptions
{
    /// <summary>Gets or sets the certificate file: PEM (with its key in <see cref="KeyPath"/> or in the same file) or PKCS#12; <see langword="null"/> for no TLS.</summary>
    /// <remarks>Defaults to <see langword="null"/>.</remarks>
    public string? Path { get; set; }

    /// <summary>Gets or sets the PEM private key file, when the key is not in <see cref="Path"/>.</summary>
    /// <remarks>Defaults to <see langword="null"/>.</remarks>
    public string? KeyPath { get; set; }

    /// <summary>Gets or sets the PKCS#12 file's password, or the encrypted PEM key's. Keep it out of files in source control (user secrets, environment variables).</summary>
    /// <remarks>Defaults to <see langword="null"/>.</remarks>
    public string? Password { get; set; }
}
