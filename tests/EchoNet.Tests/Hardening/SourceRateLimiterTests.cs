using EchoNet.Server.Udp;

namespace EchoNet.Tests.Hardening;

/// <summary>The per-source table: a bucket per source, bounded in size, least recently seen evicted first.</summary>
public sealed class SourceRateLimiterTests
{
    private const long TicksPerSecond = 1_000;

    [Fact]
    public void EachSource_HasItsOwnBucket()
    {
        var limiter = new SourceRateLimiter(datagramsPerSecond: 1, burst: 2, TicksPerSecond);
        DatagramSource flooder = DatagramSource.FromIPv4(0x0A00_0001);
        DatagramSource quiet = DatagramSource.FromIPv4(0x0A00_0002);

        Assert.True(limiter.TryAdmit(flooder, 0));
        Assert.True(limiter.TryAdmit(flooder, 0));
        Assert.False(limiter.TryAdmit(flooder, 0));
        Assert.True(limiter.TryAdmit(quiet, 0));
        Assert.True(limiter.TryAdmit(flooder, 1_000));
    }

    [Fact]
    public void FloodOfForgedSources_NeverGrowsTheTablePastItsBound()
    {
        var limiter = new SourceRateLimiter(datagramsPerSecond: 10, burst: 10, TicksPerSecond, maxSources: 100);

        for (uint i = 0; i < 10_000; i++)
        {
            Assert.True(limiter.TryAdmit(DatagramSource.FromIPv4(0x0A00_0000 + i), now: i));
            Assert.True(limiter.Count <= 100, $"the table holds {limiter.Count} sources after {i + 1}");
        }

        Assert.Equal(100, limiter.Count);
        Assert.True(limiter.IsTracked(DatagramSource.FromIPv4(0x0A00_0000 + 9_999)));
        Assert.False(limiter.IsTracked(DatagramSource.FromIPv4(0x0A00_0000 + 9_899)));
    }

    [Fact]
    public void SourceThatKeepsSending_KeepsItsBucket_WhileIdleOnesAreEvicted()
    {
        var limiter = new SourceRateLimiter(datagramsPerSecond: 1, burst: 1, TicksPerSecond, maxSources: 3);
        DatagramSource flooder = DatagramSource.FromIPv4(0x0A00_0001);
        Assert.True(limiter.TryAdmit(flooder, 0));

        // New sources keep coming, but the flooder sends between each two of them: it stays the recently seen.
        for (uint i = 0; i < 50; i++)
        {
            limiter.TryAdmit(DatagramSource.FromIPv4(0xC000_0200 + i), 0);
            Assert.False(limiter.TryAdmit(flooder, 0), $"the flooder was admitted again after forged source {i}");
        }

        Assert.True(limiter.IsTracked(flooder));
        Assert.False(limiter.IsTracked(DatagramSource.FromIPv4(0xC000_0200)));
    }

    [Fact]
    public void EvictedSource_StartsAgainWithAFullBucket()
    {
        var limiter = new SourceRateLimiter(datagramsPerSecond: 1, burst: 1, TicksPerSecond, maxSources: 2);
        DatagramSource first = DatagramSource.FromIPv4(0x0A00_0001);
        Assert.True(limiter.TryAdmit(first, 0));
        Assert.False(limiter.TryAdmit(first, 0));

        limiter.TryAdmit(DatagramSource.FromIPv4(0x0A00_0002), 0);
        limiter.TryAdmit(DatagramSource.FromIPv4(0x0A00_0003), 0);

        Assert.False(limiter.IsTracked(first));
        Assert.True(limiter.TryAdmit(first, 0));
    }
}
