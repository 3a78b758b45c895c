using System.Net;
using System.Net.Sockets;

namespace EchoNet.Tests.Support;

/// <summary>Client-side helpers for talking to a server on loopback, every wait bounded by a token.</summary>
internal static class Loopback
{
    /// <summary>The bound on any one test's network waits: generous for a loaded 2-core machine, finite.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A token that cancels after <see cref="Timeout"/> or when the test is cancelled.</summary>
    public static CancellationTokenSource TimeoutSource(TimeSpan? timeout = null)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(timeout ?? Timeout);
        return source;
    }

    /// <summary>The server's port on the loopback address of <paramref name="family"/>.</summary>
    public static IPEndPoint EndPointOf(EchoServer server, AddressFamily family = AddressFamily.InterNetwork) =>
        new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, server.LocalEndPoint.Port);

    public static async Task<Socket> ConnectAsync(EchoServer server, CancellationToken cancellationToken, AddressFamily family = AddressFamily.InterNetwork)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(EndPointOf(server, family), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; fails if the stream ends first.</summary>
    public static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            Assert.True(received > 0, $"The stream ended after {filled} of {count} bytes.");
            filled += received;
        }

        return buffer;
    }

    /// <summary>Reads until the server ends the stream.</summary>
    public static async Task<byte[]> ReceiveToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var received = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (count == 0)
            {
                return received.ToArray();
            }

            received.Write(buffer, 0, count);
        }
    }

    /// <summary>Sends <paramref name="payload"/>, half-closes, and returns everything the server sent until it closed.</summary>
    public static async Task<byte[]> EchoToEndAsync(Socket socket, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Task<byte[]> reading = ReceiveToEndAsync(socket, cancellationToken);
        await SendAllAsync(socket, payload, cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
        return await reading;
    }

    /// <summary>Sends <paramref name="payload"/> and returns as many bytes of echo, leaving the connection open.</summary>
    public static async Task<byte[]> EchoOnceAsync(Socket socket, byte[] payload, CancellationToken cancellationToken)
    {
        await SendAllAsync(socket, payload, cancellationToken);
        return await ReceiveExactlyAsync(socket, payload.Length, cancellationToken);
    }

    /// <summary>Sends <paramref name="message"/> and checks that exactly it comes back.</summary>
    public static async Task RoundTripAsync(Socket socket, byte[] message, CancellationToken cancellationToken) =>
        Assert.Equal(message, await EchoOnceAsync(socket, message, cancellationToken));

    /// <summary>
    /// Round-trips <paramref name="message"/> until the server ends the connection (a close or a reset, as a stop
    /// does); returns how many echoes came back whole. A wrong byte fails the test.
    /// </summary>
    public static async Task<int> RoundTripUntilServerClosesAsync(Socket socket, byte[] message, CancellationToken cancellationToken)
    {
        byte[] echo = new byte[message.Length];
        for (int rounds = 0; ; rounds++)
        {
            try
            {
                await SendAllAsync(socket, message, cancellationToken);
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

    /// <summary>
    /// Ports below the kernel's ephemeral range, in a random order, to try in turn. No connecting socket is given one,
    /// so a server restarted on such a port cannot find it taken by a client of a test running beside it, as a port
    /// from the ephemeral range can be between a stop and the next start.
    /// </summary>
    public static IEnumerable<int> PortsBelowTheEphemeralRange(int count = 32)
    {
        string[] range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int low = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random();
        for (int i = 0; i < count; i++)
        {
            yield return random.Next(Math.Max(1025, low - 16_384), low);
        }
    }

    public static byte[] RandomBytes(int count, int seed)
    {
        byte[] bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Returns once the server has ended the connection, by a close or a reset; whatever it echoed first is read and dropped.</summary>
    public static async Task ServerClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
            {
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A reset is how a limit, a timeout or a drain deadline ends a connection.
        }
    }

    /// <summary>Closes with a reset (linger 0), as a crashed or impatient client does.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
