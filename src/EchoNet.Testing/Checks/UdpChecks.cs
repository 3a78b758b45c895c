using System.Net;
using System.Net.Sockets;

namespace EchoNet.Testing.Checks;

/// <summary>The UDP checks of RFC 862 §2: every datagram is answered by one datagram of the same bytes.</summary>
internal static class UdpChecks
{
    // Larger than any datagram, so an answer longer than the question shows as such instead of being cut.
    private const int ReceiveBufferSize = 65_536;

    public static IEnumerable<EchoCheck> For(IEnumerable<int> sizes) => sizes.Select(size => new EchoCheck(
        $"udp.datagram-{size}",
        $"a datagram of {Payloads.Bytes(size)} is answered by one datagram of the same {Payloads.Bytes(size)}",
        (context, cancellationToken) => DatagramAsync(context, size, cancellationToken)));

    private static async Task<string> DatagramAsync(CheckContext context, int size, CancellationToken cancellationToken)
    {
        EchoConformanceOptions options = context.Options;
        byte[] payload = Payloads.Random(size, options.Seed + size);
        byte[] buffer = new byte[ReceiveBufferSize];
        EndPoint endPoint = context.EndPoint;
        using Socket socket = endPoint.AddressFamily == AddressFamily.Unspecified
            ? new Socket(SocketType.Dgram, ProtocolType.Udp)
            : new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);

        // Connected, so only the server's answers are read and an ICMP "port unreachable" surfaces as an error.
        await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        for (int attempt = 1; attempt <= options.DatagramAttempts; attempt++)
        {
            context.Progress = $"attempt {attempt}: waiting for the answer to a {size:N0}-byte datagram";
            int received;
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(options.DatagramTimeout);
            try
            {
                await socket.SendAsync(payload, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, attemptTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                continue;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                throw new CheckFailedException($"nothing answers on UDP {endPoint}: the host reported the port unreachable", e);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                throw new CheckFailedException($"this host cannot send a {size:N0}-byte datagram to {endPoint} ({e.Message})", e);
            }

            if (received != size)
            {
                string what = received < size ? "truncated" : "too long";
                throw new CheckFailedException(
                    $"a datagram of {Payloads.Bytes(size)} was answered with {Payloads.Bytes(received)} ({what}): the answer must carry the same bytes");
            }

            Payloads.Verify(buffer.AsSpan(0, received), payload, 0);
            string bytes = Payloads.Bytes(size);
            return attempt == 1 ? $"{bytes} echoed in one datagram" : $"{bytes} echoed in one datagram (attempt {attempt})";
        }

        throw new CheckFailedException(
            $"no answer to a datagram of {Payloads.Bytes(size)} after {options.DatagramAttempts} {(options.DatagramAttempts == 1 ? "attempt" : "attempts")} of {options.DatagramTimeout.TotalSeconds:0.###} s each");
    }
}
