using EchoNet.Cli.Bench;
using EchoNet.Load;

namespace EchoNet.Cli.Tests.Bench;

/// <summary>Counts in the bench's output agree with their nouns: 1 connection, 2 connections.</summary>
public sealed class CountedOutputTests
{
    [Theory]
    [InlineData(0, "0 connections")]
    [InlineData(1, "1 connection")]
    [InlineData(2, "2 connections")]
    [InlineData(1000, "1,000 connections")]
    public void Counted_ChoosesTheNounForTheCount(long count, string expected)
    {
        Assert.Equal(expected, Counted.Of(count, "connection", "connections"));
    }

    [Theory]
    [InlineData(1, 1, "1 connection ", "1 fault ")]
    [InlineData(2, 0, "2 connections ", "0 faults ")]
    public void ProgressLine_PluralisesConnectionsAndFaults(int active, long faults, string connections, string faultText)
    {
        using var error = new StringWriter();
        var progress = new ProgressLine(error, enabled: true);

        progress.Update(new BenchProgress(new BenchClock(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1)), Echoed: 10, faults, active));

        string line = error.ToString();
        Assert.Contains(connections, line, StringComparison.Ordinal);
        Assert.Contains(faultText, line, StringComparison.Ordinal);
        Assert.StartsWith("\rwarm-up", line, StringComparison.Ordinal);
    }
}
