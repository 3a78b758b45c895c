using System.Net;
using System.Net.Sockets;

namespace EchoNet.Soak;

/// <summary>
/// The TCP churn of the soak, each scenario a complete connection that checks every byte it gets back: short echoes,
/// bulk half-closes, resets mid-echo, and clients that connect and leave at once. The long-lived connections are the
/// load engine's steady load, which runs beside them.
/// </summary>
internal sealed class TcpScenarios(IPEndPoint server)
{
    /// <summary>The scenarios and how often each is picked, relative to the others.</summary>
    public static IReadOnlyList<(string Name, int Weight)> Mix { get; } =
    [
        ("tcp short echo", 6),
        ("tcp half-close bulk", 1),
        ("tcp reset mid-echo", 2),
        ("tcp connect-reset", 1),
        ("tcp connect-close", 1),
    ];

    /// <summary>Runs one connection of <paramref name="scenario"/>; returns how many echoed bytes it verified.</summary>
    public Task<long> RunAsync(string scenario, Random random, CancellationToken cancellationToken) => scenario switch
    {
        "tcp short echo" => EchoToEndAsync(random.Next(1, 64 * 1024 + 1), random, cancellationToken),
        "tcp half-close bulk" => EchoToEndAsync(random.Next(256 * 1024, 1024 * 1024 + 1), random, cancellationToken),
        "tcp reset mid-echo" => ResetMidEchoAsync(random, cancellationToken),
        "tcp connect-reset" => ConnectAndLeaveAsync(reset: true, cancellationToken),
        "tcp connect-close" => ConnectAndLeaveAsync(reset: false, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Not a TCP scenario."),
    };

    /// <summary>Sends <paramref name="size"/> bytes while reading, half-closes, and checks the whole stream came back before the close.</summary>
    private async Task<long> EchoToEndAsync(int size, Random random, CancellationToken cancellationToken)
    {
        using Socket socket = await ConnectAsync(cancellationToken);
        byte[] payload = RandomBytes(random, size);
        Task<byte[]> reading = ReceiveToEndAsync(socket, cancellationToken);
        await SendAllAsync(socket, payload, cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
        byte[] echo = await reading;
        Verify(payload, echo);
        return payload.Length;
    }

    /// <summary>Sends 64 KiB, checks part of its echo, and resets the connection with the rest still owed.</summary>
    private async Task<long> ResetMidEchoAsync(Random random, CancellationToken cancellationToken)
    {
        Socket socket = await ConnectAsync(cancellationToken);
        try
        {
            byte[] payload = RandomBytes(random, 64 * 1024);
            Task sending = SendAllAsync(socket, payload, cancellationToken);
            int partial = random.Next(1, 16 * 1024 + 1);
            byte[] echo = await ReceiveExactlyAsync(socket, partial, cancellationToken);
            Verify(payload.AsSpan(0, partial), echo);
            await sending;
            return partial;
        }
        finally
        {
            Reset(socket);
        }
    }

    private async Task<long> ConnectAndLeaveAsync(bool reset, CancellationToken cancellationToken)
    {
        Socket socket = await ConnectAsync(cancellationToken);
        if (reset)
        {
            Reset(socket);
        }
        else
        {
            socket.Dispose();
        }

        return 0;
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await socket.SendAsync(bytes, SocketFlags.None, cancellationToken)..];
        }
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[count];
        for (int filled = 0; filled < count;)
        {
            int received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (received == 0)
            {
                throw new EchoMismatchException($"The server closed after {filled} of {count} bytes.");
            }

            filled += received;
        }

        return buffer;
    }

    private static async Task<byte[]> ReceiveToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var received = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int count;
        while ((count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            received.Write(buffer, 0, count);
        }

        return received.ToArray();
    }

    private static void Verify(ReadOnlySpan<byte> sent, ReadOnlySpan<byte> echo)
    {
        if (!sent.SequenceEqual(echo))
        {
            throw new EchoMismatchException($"Sent {sent.Length} bytes, got back {echo.Length} that differ.");
        }
    }

    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
