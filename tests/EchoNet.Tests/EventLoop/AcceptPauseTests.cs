using EchoNet.Server.EventLoop;
using Microsoft.Extensions.Time.Testing;

namespace EchoNet.Tests.EventLoop;

/// <summary>An event loop's pause in accepting: how long it lasts, how it shortens the loop's wait, and when it ends.</summary>
public sealed class AcceptPauseTests
{
    [Fact]
    public void NoPause_LeavesTheWaitAsItIs()
    {
        var pause = new AcceptPause(new FakeTimeProvider());

        Assert.False(pause.IsPaused);
        Assert.Equal(-1, pause.Shorten(-1));
        Assert.Equal(1000, pause.Shorten(1000));
        Assert.False(pause.EndIfOver());
    }

    [Fact]
    public void APause_ShortensTheWaitToItsEnd_AndEndsOnlyOnceItIsOver()
    {
        var time = new FakeTimeProvider();
        var pause = new AcceptPause(time);

        Assert.Equal(TimeSpan.FromMilliseconds(5), pause.Begin());

        Assert.True(pause.IsPaused);
        Assert.Equal(5, pause.Shorten(-1));
        Assert.Equal(5, pause.Shorten(1000));
        Assert.Equal(2, pause.Shorten(2));
        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.False(pause.EndIfOver());
        Assert.Equal(1, pause.Shorten(-1));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(pause.EndIfOver());
        Assert.False(pause.IsPaused);
        Assert.Equal(-1, pause.Shorten(-1));
    }

    [Fact]
    public void FailuresInARow_DoubleThePause_AndAnAcceptedClientMakesItShortestAgain()
    {
        var pause = new AcceptPause(new FakeTimeProvider());

        Assert.Equal(TimeSpan.FromMilliseconds(5), pause.Begin());
        Assert.Equal(TimeSpan.FromMilliseconds(10), pause.Begin());
        Assert.Equal(TimeSpan.FromMilliseconds(20), pause.Begin());
        pause.Accepted();

        Assert.Equal(TimeSpan.FromMilliseconds(5), pause.Begin());
    }
}
