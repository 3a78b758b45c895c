using System.Net;
using System.Net.Security;

namespace EchoNet.Testing.Checks;

/// <summary>The options a check's TLS handshake uses: the caller's, with the endpoint's host as the target when they name none.</summary>
internal static class TlsTarget
{
    public static SslClientAuthenticationOptions For(SslClientAuthenticationOptions tls, EndPoint endPoint)
    {
        if (tls.TargetHost is not null)
        {
            return tls;
        }

        string host = endPoint switch
        {
            DnsEndPoint dns => dns.Host,
            IPEndPoint ip => ip.Address.ToString(),
            _ => endPoint.ToString() ?? string.Empty,
        };
        return new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = tls.EnabledSslProtocols,
            CertificateRevocationCheckMode = tls.CertificateRevocationCheckMode,
            CertificateChainPolicy = tls.CertificateChainPolicy,
            CipherSuitesPolicy = tls.CipherSuitesPolicy,
            ClientCertificates = tls.ClientCertificates,
            ClientCertificateContext = tls.ClientCertificateContext,
            LocalCertificateSelectionCallback = tls.LocalCertificateSelectionCallback,
            RemoteCertificateValidationCallback = tls.RemoteCertificateValidationCallback,
            ApplicationProtocols = tls.ApplicationProtocols,
        };
    }
}
