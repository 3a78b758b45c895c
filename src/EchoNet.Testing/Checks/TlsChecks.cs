namespace EchoNet.Testing.Checks;

/// <summary>The check of the TLS handshake that comes before the TCP checks when they run over TLS.</summary>
internal static class TlsChecks
{
    public static EchoCheck Handshake { get; } = new("tls.handshake", "the TLS handshake succeeds and the server's certificate is accepted", HandshakeAsync);

    private static async Task<string> HandshakeAsync(CheckContext context, CancellationToken cancellationToken)
    {
        using TcpEchoConnection connection = await TcpEchoConnection.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        System.Net.Security.SslStream tls = connection.Tls!;
        return $"{tls.SslProtocol}, {tls.NegotiatedCipherSuite}, certificate {tls.RemoteCertificate?.Subject}";
    }
}
