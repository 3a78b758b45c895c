using System.Net.Security;
using Microsoft.Extensions.Options;

namespace EchoNet.Hosting;

/// <summary>
/// Loads the configured TLS certificate into the server's options once, as they are made; what went wrong is kept for
/// <see cref="EchoServerOptionsValidation"/>, so the host fails at start with the setting named rather than with a throw
/// from deep inside the options.
/// </summary>
internal sealed class TlsCertificateSource(IOptions<EchoServerTlsCertificateOptions> settings)
{
    private const string Section = "EchoServer:TlsCertificate";

    public string? Error { get; private set; }

    public void Apply(EchoServerOptions options)
    {
        EchoServerTlsCertificateOptions certificate = settings.Value;
        if (string.IsNullOrWhiteSpace(certificate.Path))
        {
            if (certificate.KeyPath is not null || certificate.Password is not null)
            {
                Error = $"{Section}:Path: KeyPath and Password belong to a certificate; set Path to the certificate file too.";
            }

            return;
        }

        try
        {
            var loaded = EchoCertificates.Load(certificate.Path, certificate.KeyPath, certificate.Password);
            options.Tls = new SslServerAuthenticationOptions { ServerCertificateContext = SslStreamCertificateContext.Create(loaded, null, offline: true) };
        }
        catch (ArgumentException e)
        {
            Error = $"{Section}:{(e.ParamName == "keyPath" ? "KeyPath" : "Path")}: {e.Message}";
        }
    }
}
