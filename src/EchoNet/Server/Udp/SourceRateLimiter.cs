namespace EchoNet.Server.Udp;

/// <summary>
/// A token bucket per source, in a table bounded to <see cref="MaxSources"/> entries kept in least-recently-seen
/// order. A new source when the table is full takes the slot of the source seen longest ago, so a flood of forged
/// sources costs a fixed amount of memory; a source that keeps sending stays near the front and keeps its bucket.
/// </summary>
/// <remarks>
/// Evicting an idle source loses nothing: its bucket has refilled to the burst, which is where a new entry starts.
/// Evicting a source that is still being limited resets its bucket, so under more than <see cref="MaxSources"/>
/// distinct live sources the per-source limit loosens; the global limit still holds. The table grows on demand
/// (an allocation only when a new source enters it), and once full, replacing an entry allocates nothing.
/// Used by the loop's thread only.
/// </remarks>
internal sealed class SourceRateLimiter
{
    /// <summary>The default bound: about 1.2 MiB of table at most, for 16,384 sources.</summary>
    public const int DefaultMaxSources = 16_384;

    private const int None = -1;

    private readonly double _tokensPerTick;
    private readonly double _burst;
    private readonly Dictionary<DatagramSource, int> _slots;
    private Entry[] _entries;
    private int _count;
    private int _newest = None;
    private int _oldest = None;

    public SourceRateLimiter(int datagramsPerSecond, int burst, long ticksPerSecond, int maxSources = DefaultMaxSources)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(datagramsPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSources, 1);
        _tokensPerTick = (double)datagramsPerSecond / ticksPerSecond;
        _burst = burst;
        MaxSources = maxSources;
        int initial = Math.Min(maxSources, 64);
        _slots = new Dictionary<DatagramSource, int>(initial);
        _entries = new Entry[initial];
    }

    public int MaxSources { get; }

    /// <summary>Gets how many sources the table holds now.</summary>
    public int Count => _count;

    public bool IsTracked(DatagramSource source) => _slots.ContainsKey(source);

    /// <summary>Takes a token from <paramref name="source"/>'s bucket, making one (full) if the source is new.</summary>
    public bool TryAdmit(DatagramSource source, long now)
    {
        if (_slots.TryGetValue(source, out int slot))
        {
            if (slot != _newest)
            {
                Unlink(slot);
                LinkAsNewest(slot);
            }
        }
        else
        {
            slot = _count < MaxSources ? TakeFreeSlot() : EvictOldest();
            _entries[slot].Source = source;
            _entries[slot].Bucket = TokenBucket.Full(_burst, now);
            _slots.Add(source, slot);
            LinkAsNewest(slot);
        }

        return _entries[slot].Bucket.TryTake(now, _tokensPerTick, _burst);
    }

    private int TakeFreeSlot()
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Min(MaxSources, _entries.Length * 2));
        }

        return _count++;
    }

    private int EvictOldest()
    {
        int slot = _oldest;
        _slots.Remove(_entries[slot].Source);
        Unlink(slot);
        return slot;
    }

    private void LinkAsNewest(int slot)
    {
        ref Entry entry = ref _entries[slot];
        entry.Newer = None;
        entry.Older = _newest;
        if (_newest != None)
        {
            _entries[_newest].Newer = slot;
        }

        _newest = slot;
        if (_oldest == None)
        {
            _oldest = slot;
        }
    }

    private void Unlink(int slot)
    {
        ref Entry entry = ref _entries[slot];
        if (entry.Newer != None)
        {
            _entries[entry.Newer].Older = entry.Older;
        }
        else
        {
            _newest = entry.Older;
        }

        if (entry.Older != None)
        {
            _entries[entry.Older].Newer = entry.Newer;
        }
        else
        {
            _oldest = entry.Newer;
        }
    }

    private struct Entry
    {
        public DatagramSource Source;
        public TokenBucket Bucket;
        public int Newer;
        public int Older;
    }
}
