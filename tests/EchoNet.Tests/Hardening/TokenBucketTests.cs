using EchoNet.Server.Udp;

namespace EchoNet.Tests.Hardening;

/// <summary>The token bucket on a synthetic clock of 1,000 ticks per second.</summary>
public sealed class TokenBucketTests
{
    private const double TicksPerSecond = 1_000;

    [Fact]
    public void NewBucket_AdmitsItsBurst_ThenRefuses()
    {
        const double perTick = 10 / TicksPerSecond;
        TokenBucket bucket = TokenBucket.Full(burst: 5, now: 0);

        for (int i = 0; i < 5; i++)
        {
            Assert.True(bucket.TryTake(0, perTick, 5), $"datagram {i} of the burst");
        }

        Assert.False(bucket.TryTake(0, perTick, 5));
    }

    [Fact]
    public void EmptyBucket_RefillsAtItsRate()
    {
        const double perTick = 10 / TicksPerSecond;
        TokenBucket bucket = TokenBucket.Full(burst: 1, now: 0);
        Assert.True(bucket.TryTake(0, perTick, 1));

        Assert.False(bucket.TryTake(50, perTick, 1));   // half a token after 50 ms at 10/s
        Assert.True(bucket.TryTake(100, perTick, 1));   // a whole one after 100 ms
        Assert.False(bucket.TryTake(100, perTick, 1));
    }

    [Fact]
    public void LongIdleBucket_HoldsNoMoreThanItsBurst()
    {
        const double perTick = 10 / TicksPerSecond;
        TokenBucket bucket = TokenBucket.Full(burst: 3, now: 0);
        for (int i = 0; i < 3; i++)
        {
            bucket.TryTake(0, perTick, 3);
        }

        int admitted = 0;
        for (int i = 0; i < 10; i++)
        {
            admitted += bucket.TryTake(3_600_000, perTick, 3) ? 1 : 0;   // an hour later
        }

        Assert.Equal(3, admitted);
    }

    [Fact]
    public void SteadySender_GetsTheRate_OverTime()
    {
        const double perTick = 20 / TicksPerSecond;
        TokenBucket bucket = TokenBucket.Full(burst: 20, now: 0);
        int admitted = 0;

        // 1,000 datagrams a second for 10 seconds, one every tick.
        for (long now = 0; now < 10_000; now++)
        {
            admitted += bucket.TryTake(now, perTick, 20) ? 1 : 0;
        }

        Assert.InRange(admitted, 20 + 199, 20 + 200);
    }

    [Fact]
    public void ClockGoingBackwards_NeitherAddsNorRemovesTokens()
    {
        const double perTick = 10 / TicksPerSecond;
        TokenBucket bucket = TokenBucket.Full(burst: 2, now: 1_000);

        Assert.True(bucket.TryTake(500, perTick, 2));
        Assert.Equal(1, bucket.Tokens);
    }
}
