using System.Net;
using EchoNet.Diagnostics;
using EchoNet.Server.Udp;
using EchoNet.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EchoNet.Tests.Hardening;

/// <summary>Drop summaries: the first at once, then at most one per reason per interval, with counts and addresses.</summary>
public sealed class UdpDropLogTests
{
    private const long TicksPerSecond = 1_000;
    private const long Interval = 10 * TicksPerSecond;

    [Fact]
    public void Flood_IsLoggedOnce_ThenSummarisedPerInterval()
    {
        var logger = new LogRecorder();
        var log = new UdpDropLog(logger, Interval, TicksPerSecond);
        DatagramSource source = DatagramSource.FromIPv4(0xC000_0201);

        for (long now = 0; now < 25_000; now += 10)
        {
            log.Record(UdpDropReason.BlockedPort, source, 7, now);
        }

        // At 0 (the first), at 10 s and at 20 s; the drops after 20 s wait for the next interval or the flush.
        Assert.Equal([1L, 1_000L, 1_000L], logger.Entries.Select(e => (long)e.Values["Count"]!));
        log.Flush(25_000);
        Assert.Equal(4, logger.Entries.Count);
        Assert.Equal(2_500L, logger.Entries.Sum(e => (long)e.Values["Count"]!));
    }

    [Fact]
    public void Reasons_AreSummarisedSeparately_WithStableIdsAndLevels()
    {
        var logger = new LogRecorder();
        var log = new UdpDropLog(logger, Interval, TicksPerSecond);
        DatagramSource source = DatagramSource.FromIPv4(0xC000_0201);

        log.Record(UdpDropReason.BlockedPort, source, 19, 0);
        log.Record(UdpDropReason.InvalidSource, source, 4000, 0);
        log.Record(UdpDropReason.SourceRateLimited, source, 4000, 0);
        log.Record(UdpDropReason.GlobalRateLimited, source, 4000, 0);
        log.Record(UdpDropReason.SourceRateLimited, source, 4000, 1);

        Assert.Equal([31, 32, 33, 34], logger.Entries.Select(e => e.Id.Id));
        Assert.Equal([LogLevel.Warning, LogLevel.Warning, LogLevel.Information, LogLevel.Warning], logger.Entries.Select(e => e.Level));
        Assert.All(logger.Entries, e => Assert.Contains("192.0.2.1", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Source_IsLoggedAsAnAddress_IPv4Unmapped()
    {
        var logger = new LogRecorder();
        var log = new UdpDropLog(logger, Interval, TicksPerSecond);
        var raw = new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.9"), 19).Serialize();
        Assert.True(DatagramSource.TryRead(raw, out DatagramSource source, out int port));

        log.Record(UdpDropReason.BlockedPort, source, port, 0);

        LogEntry entry = Assert.Single(logger.Entries);
        Assert.Equal(IPAddress.Parse("198.51.100.9"), entry.Values["Source"]);
        Assert.Equal(19, entry.Values["SourcePort"]);
    }
}
