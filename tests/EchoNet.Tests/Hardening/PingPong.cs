using System.Net.Sockets;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>A live client: round-trips one message after another and checks each echo.</summary>
internal static class PingPong
{
    /// <summary>Sends <paramref name="message"/> and checks that exactly it comes back.</summary>
    public static async Task RoundTripAsync(Socket socket, byte[] message, CancellationToken cancellationToken)
    {
        await Loopback.SendAllAsync(socket, message, cancellationToken);
        byte[] echo = await Loopback.ReceiveExactlyAsync(socket, message.Length, cancellationToken);
        Assert.Equal(message, echo);
    }

    /// <summary>
    /// Round-trips <paramref name="message"/> until the server ends the connection (a close or a reset, as a stop
    /// does); returns how many echoes came back whole. A wrong byte fails the test.
    /// </summary>
    public static async Task<int> UntilServerClosesAsync(Socket socket, byte[] message, CancellationToken cancellationToken)
    {
        byte[] echo = new byte[message.Length];
        for (int rounds = 0; ; rounds++)
        {
            try
            {
                await Loopback.SendAllAsync(socket, message, cancellationToken);
                for (int filled = 0; filled < echo.Length;)
                {
                    int received = await socket.ReceiveAsync(echo.AsMemory(filled), SocketFlags.None, cancellationToken);
                    if (received == 0)
                    {
                        Assert.Equal(message.AsSpan(0, filled), echo.AsSpan(0, filled));
                        return rounds;
                    }

                    filled += received;
                }
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
            {
                return rounds;
            }

            Assert.Equal(message, echo);
        }
    }

    /// <summary>Closes <paramref name="socket"/> with a reset (linger 0) instead of an orderly close.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
