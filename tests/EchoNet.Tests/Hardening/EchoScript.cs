using System.Net.Sockets;
using CsCheck;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Hardening;

/// <summary>
/// A generated client connection: writes of random bytes and partial reads in any order, then an ending. Running it
/// checks that every byte read back is the byte sent at that position of the stream.
/// </summary>
internal sealed record EchoScript(IReadOnlyList<EchoStep> Steps, EchoScriptEnding Ending)
{
    /// <summary>The largest write; with at most <see cref="MaxSteps"/> steps, a script owes at most 128 KiB, which the socket buffers hold.</summary>
    private const int MaxWrite = 8 * 1024;

    private const int MaxSteps = 16;

    /// <summary>Scripts of 1 to 16 steps, writes more likely than reads, and any ending.</summary>
    public static Gen<EchoScript> Generator { get; } =
        Gen.Select(
            Gen.Frequency(
                (3, Gen.Byte.Array[1, MaxWrite].Select(static bytes => (EchoStep)new EchoStep.Write(bytes))),
                (2, Gen.Int[1, 2 * MaxWrite].Select(static count => (EchoStep)new EchoStep.ReadSome(count))))
            .List[1, MaxSteps],
            Gen.Enum<EchoScriptEnding>(),
            static (steps, ending) => new EchoScript(steps, ending));

    /// <summary>Plays the script on a connected socket and ends the connection as the script says.</summary>
    public async Task RunAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var sent = new MemoryStream();
        int read = 0;
        foreach (EchoStep step in Steps)
        {
            switch (step)
            {
                case EchoStep.Write write:
                    await Loopback.SendAllAsync(socket, write.Bytes, cancellationToken);
                    sent.Write(write.Bytes);
                    break;
                case EchoStep.ReadSome readSome when sent.Length > read:
                    read += await ReceiveSomeAsync(socket, sent, read, readSome.Count, cancellationToken);
                    break;
            }
        }

        switch (Ending)
        {
            case EchoScriptEnding.HalfClose:
                socket.Shutdown(SocketShutdown.Send);
                byte[] rest = await Loopback.ReceiveToEndAsync(socket, cancellationToken);
                Assert.Equal(sent.GetBuffer().AsSpan(read, (int)sent.Length - read), rest.AsSpan());
                break;
            case EchoScriptEnding.Reset:
                Loopback.Reset(socket);
                break;
            case EchoScriptEnding.ReadAllThenClose:
                while (sent.Length > read)
                {
                    read += await ReceiveSomeAsync(socket, sent, read, (int)sent.Length - read, cancellationToken);
                }

                socket.Close();
                break;
        }
    }

    public override string ToString() => $"[{string.Join(", ", Steps)}] then {Ending}";

    /// <summary>One receive of at most <paramref name="count"/> owed bytes; checks them against the sent stream at <paramref name="read"/>.</summary>
    private static async Task<int> ReceiveSomeAsync(Socket socket, MemoryStream sent, int read, int count, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Math.Min(count, (int)sent.Length - read)];
        int received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        Assert.True(received > 0, $"The server ended the stream with {sent.Length - read} bytes still owed.");
        Assert.Equal(sent.GetBuffer().AsSpan(read, received), buffer.AsSpan(0, received));
        return received;
    }
}
