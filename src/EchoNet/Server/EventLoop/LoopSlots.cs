using System.Net;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// A loop's table of connections. Each has a slot, reused once it closes, and a generation that the next connection
/// in the slot does not share, so what the kernel hands back for an event or a completion (a slot and a generation)
/// never reaches a connection that took a closed one's place. Used by its loop's thread only, but counted for others.
/// </summary>
internal sealed class LoopSlots
{
    private readonly List<LoopConnection?> _slots = [];
    private readonly Stack<int> _free = new();
    private uint _nextGeneration;
    private volatile int _count;

    /// <summary>Gets how many connections are in the table; read from any thread.</summary>
    public int Count => _count;

    /// <summary>Puts a new connection on <paramref name="fd"/> into a free slot.</summary>
    public LoopConnection Add(int fd, IPEndPoint? peer, IPAddress? source, TimeProvider time)
    {
        int slot;
        if (_free.Count > 0)
        {
            slot = _free.Pop();
        }
        else
        {
            slot = _slots.Count;
            _slots.Add(null);
        }

        var connection = new LoopConnection(fd, slot, ++_nextGeneration, peer, source, time);
        _slots[slot] = connection;
        _count++;
        return connection;
    }

    /// <summary>Frees the connection's slot; false when it was freed before.</summary>
    public bool Remove(LoopConnection connection)
    {
        if (_slots[connection.Slot] != connection)
        {
            return false;
        }

        _slots[connection.Slot] = null;
        _free.Push(connection.Slot);
        _count--;
        return true;
    }

    /// <summary>Gets the connection in <paramref name="slot"/> if it is still of <paramref name="generation"/>.</summary>
    public LoopConnection? Find(int slot, uint generation) =>
        (uint)slot < (uint)_slots.Count && _slots[slot] is { } connection && connection.Generation == generation ? connection : null;

    /// <summary>Gets the connections in the table now, to close them all.</summary>
    public LoopConnection[] Snapshot() => [.. _slots.OfType<LoopConnection>()];
}
