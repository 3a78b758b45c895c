using EchoNet.Server.EventLoop;

namespace EchoNet.Tests.EventLoop;

/// <summary>What a loop connection owes comes out in the order it went in, however it grows and drains.</summary>
public sealed class LoopConnectionTests
{
    [Fact]
    public void Owe_AppendsInOrder_AcrossGrowthAndPartialSends()
    {
        var connection = new LoopConnection(fd: -1, slot: 0, generation: 1, peer: null, source: null, TimeProvider.System);
        byte[] all = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];
        var sent = new List<byte>();

        // Owe in uneven pieces, and take uneven amounts out between them, as sends the kernel takes in part would.
        int given = 0;
        int[] pieces = [1, 65_536, 3, 100_000, 17, 65_536, 68_907];
        foreach (int piece in pieces)
        {
            connection.Owe(all.AsSpan(given, piece));
            given += piece;
            int take = connection.OwedCount / 3;
            sent.AddRange(connection.Owed[..take].ToArray());
            connection.Consumed(take);
        }

        sent.AddRange(connection.Owed.ToArray());
        connection.Consumed(connection.OwedCount);

        Assert.Equal(all.Length, given);
        Assert.Equal(all, sent);
        Assert.Equal(0, connection.OwedCount);
    }
}
