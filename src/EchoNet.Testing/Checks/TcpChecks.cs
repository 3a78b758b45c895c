using System.Text;

namespace EchoNet.Testing.Checks;

/// <summary>The TCP checks of RFC 862 §1: whatever is sent on a connection comes back, until the client closes.</summary>
internal static class TcpChecks
{
    private const int LongMessageBytes = 100_000;
    private const int HalfCloseBytes = 65_537;
    private const int RoundsPerClient = 4;
    private const int BytesPerRound = 1_000;

    public static IReadOnlyList<EchoCheck> All { get; } =
    [
        new("tcp.short-message", "a 14-byte text line comes back unchanged, CR LF included", ShortMessageAsync),
        new("tcp.long-message", $"a {LongMessageBytes:N0}-byte message sent in one write comes back whole", LongMessageAsync),
        new("tcp.binary-bytes", "all 256 byte values (NUL, CR, LF, 0xFF...) come back untranslated", BinaryBytesAsync),
        new("tcp.bulk-random-chunks", "1 MiB sent in random chunks, read concurrently, comes back in order", BulkRandomChunksAsync),
        new("tcp.half-close", "after the client shuts its sending side, everything owed comes back, then end of stream", HalfCloseAsync),
        new("tcp.concurrent-clients", "clients connected at once each get back their own bytes", ConcurrentClientsAsync),
    ];

    private static async Task<string> ShortMessageAsync(CheckContext context, CancellationToken cancellationToken)
    {
        byte[] payload = Encoding.ASCII.GetBytes("Hello, echo!\r\n");
        using TcpEchoConnection connection = await TcpEchoConnection.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        await connection.ExchangeAsync(payload, [], halfCloseAfterSending: false, cancellationToken).ConfigureAwait(false);
        return $"{payload.Length} bytes echoed";
    }

    private static async Task<string> LongMessageAsync(CheckContext context, CancellationToken cancellationToken)
    {
        byte[] payload = Payloads.Random(LongMessageBytes, context.Options.Seed);
        using TcpEchoConnection connection = await TcpEchoConnection.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        int receives = await connection.ExchangeAsync(payload, [], halfCloseAfterSending: false, cancellationToken).ConfigureAwait(false);
        return $"{payload.Length:N0} bytes echoed in {receives} {(receives == 1 ? "read" : "reads")}";
    }

    private static async Task<string> BinaryBytesAsync(CheckContext context, CancellationToken cancellationToken)
    {
        byte[] payload = Payloads.AllByteValues();
        using TcpEchoConnection connection = await TcpEchoConnection.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        await connection.ExchangeAsync(payload, [], halfCloseAfterSending: false, cancellationToken).ConfigureAwait(false);
        return $"{payload.Length} bytes, every value twice, echoed";
    }

    private static async Task<string> BulkRandomChunksAsync(CheckContext context, CancellationToken cancellationToken)
    {
        int size = context.Options.BulkBytes;
        byte[] payload = Payloads.Random(size, context.Options.Seed + 1);
        List<int> chunks = RandomChunks(size, context.Options.Seed + 2);
        using TcpEchoConnection connection = await TcpEchoConnection.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        int receives = await connection.ExchangeAsync(payload, chunks, halfCloseAfterSending: false, cancellationToken).ConfigureAwait(false);
        return $"{size:N0} bytes sent in {chunks.Count} chunks of 1 to 65,536 bytes, echoed in {receives} {(receives == 1 ? "read" : "reads")}";
    }

    private static async Task<string> HalfCloseAsync(CheckContext context, CancellationToken cancellationToken)
    {
        // An odd size, so a server that echoes only whole blocks owes a tail when the client's FIN arrives.
        byte[] payload = Payloads.Random(HalfCloseBytes, context.Options.Seed + 3);
        using TcpEchoConnection connection = await TcpEchoConnection.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        await connection.ExchangeAsync(payload, [], halfCloseAfterSending: true, cancellationToken).ConfigureAwait(false);
        context.Progress = $"all {payload.Length:N0} bytes echoed after the half-close; waiting for the server to close its side";
        await connection.ExpectEndOfStreamAsync(cancellationToken).ConfigureAwait(false);
        return $"{payload.Length:N0} bytes echoed after the client's FIN, then end of stream";
    }

    private static async Task<string> ConcurrentClientsAsync(CheckContext context, CancellationToken cancellationToken)
    {
        int clients = context.Options.ConcurrentClients;
        var connections = new List<TcpEchoConnection>(clients);
        try
        {
            // Every client connects before any sends: a server that serves one at a time keeps the rest in its backlog.
            for (int i = 0; i < clients; i++)
            {
                context.Progress = $"{i} of {clients} clients connected";
                connections.Add(await TcpEchoConnection.ConnectAsync(context, cancellationToken).ConfigureAwait(false));
            }

            int finished = 0;
            context.Progress = $"0 of {clients} clients got their echo";
            await Task.WhenAll(connections.Select(async (connection, index) =>
            {
                byte[] payload = Payloads.Random(RoundsPerClient * BytesPerRound, context.Options.Seed + 100 + index);
                for (int round = 0; round < RoundsPerClient; round++)
                {
                    ReadOnlyMemory<byte> message = payload.AsMemory(round * BytesPerRound, BytesPerRound);
                    await connection.ExchangeAsync(message, [], halfCloseAfterSending: false, cancellationToken).ConfigureAwait(false);
                }

                // Closing lets a server that serves one client at a time go on to the next.
                connection.Dispose();
                context.Progress = $"{Interlocked.Increment(ref finished)} of {clients} clients got their echo";
            })).ConfigureAwait(false);
            return $"{clients} clients each got back their own {RoundsPerClient * BytesPerRound:N0} bytes in {RoundsPerClient} rounds";
        }
        finally
        {
            foreach (TcpEchoConnection connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Chunk sizes from 1 byte to 64 KiB, small ones as likely as large ones, that add up to <paramref name="total"/>.</summary>
    private static List<int> RandomChunks(int total, int seed)
    {
#pragma warning disable CA5394 // Chunk sizes for a test, seeded so a failure can be repeated.
        var random = new Random(seed);
        var chunks = new List<int>();
        int left = total;
        while (left > 0)
        {
            // A random power-of-two ceiling first makes the sizes log-uniform: 10-byte chunks are as common as 10 KiB ones.
            int size = Math.Min(left, random.Next(1, (1 << random.Next(1, 17)) + 1));
            chunks.Add(size);
            left -= size;
        }
#pragma warning restore CA5394

        return chunks;
    }
}
