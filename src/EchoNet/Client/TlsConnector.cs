using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace EchoNet.Client;

/// <summary>The TLS handshake of a client over a connected socket, within what is left of the connect timeout.</summary>
internal static class TlsConnector
{
    public static async Task<SslStream> AuthenticateAsync(Socket socket, string host, int port, SslClientAuthenticationOptions tls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The caller's options are theirs: the host name goes into a copy when they set none.
        SslClientAuthenticationOptions options = tls.TargetHost is null ? Copy(tls, host) : tls;
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout > TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan ? timeout : TimeSpan.Zero);
        try
        {
            await stream.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
            return stream;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Dispose(stream, socket);
            throw EchoConnectException.TimedOut(host, port, timeout, []);
        }
        catch (AuthenticationException e)
        {
            Dispose(stream, socket);
            throw new AuthenticationException(
                string.Create(CultureInfo.InvariantCulture, $"The TLS handshake with {host} port {port} failed: {e.GetBaseException().Message}. If the server's certificate is self-signed, trust it, or skip the check in RemoteCertificateValidationCallback for a test."),
                e);
        }
        catch (IOException e)
        {
            Dispose(stream, socket);
            throw new AuthenticationException(
                string.Create(CultureInfo.InvariantCulture, $"The TLS handshake with {host} port {port} failed: the server closed the connection ({e.GetBaseException().Message}). Does it speak TLS on this port?"),
                e);
        }
        catch
        {
            Dispose(stream, socket);
            throw;
        }
    }

    private static void Dispose(SslStream stream, Socket socket)
    {
        stream.Dispose();
        socket.Dispose();
    }

    private static SslClientAuthenticationOptions Copy(SslClientAuthenticationOptions tls, string host) => new()
    {
        TargetHost = host,
        AllowRenegotiation = tls.AllowRenegotiation,
        AllowTlsResume = tls.AllowTlsResume,
        ApplicationProtocols = tls.ApplicationProtocols,
        CertificateChainPolicy = tls.CertificateChainPolicy,
        CertificateRevocationCheckMode = tls.CertificateRevocationCheckMode,
        CipherSuitesPolicy = tls.CipherSuitesPolicy,
        ClientCertificateContext = tls.ClientCertificateContext,
        ClientCertificates = tls.ClientCertificates,
        EnabledSslProtocols = tls.EnabledSslProtocols,
        EncryptionPolicy = tls.EncryptionPolicy,
        LocalCertificateSelectionCallback = tls.LocalCertificateSelectionCallback,
        RemoteCertificateValidationCallback = tls.RemoteCertificateValidationCallback,
    };
}
