using System.Net;
using EchoNet.Diagnostics;
using EchoNet.Server.Udp;
using Microsoft.Extensions.Logging.Abstractions;

namespace EchoNet.Tests.Hardening;

/// <summary>The guard's decisions, on raw socket addresses and a synthetic clock of 1,000 ticks per second.</summary>
public sealed class UdpGuardTests
{
    private const long TicksPerSecond = 1_000;

    [Theory]
    [InlineData("127.0.0.1", 7)]
    [InlineData("::ffff:127.0.0.1", 19)]
    [InlineData("::1", 0)]
    [InlineData("192.0.2.1", 9)]
    [InlineData("192.0.2.1", 13)]
    [InlineData("192.0.2.1", 17)]
    [InlineData("192.0.2.1", 37)]
    public void SmallServicePorts_AreDropped(string address, int port)
    {
        UdpGuard guard = CreateGuard(new UdpGuardOptions());

        Assert.False(guard.Admit(Raw(address, port), now: 0));
        Assert.Equal(1, guard.Counters.BlockedPort);
        Assert.Equal(1, guard.Counters.Total);
    }

    [Fact]
    public void BlockedPorts_AreTheConfiguredOnes()
    {
        var options = new UdpGuardOptions();
        options.BlockedSourcePorts.Clear();
        options.BlockedSourcePorts.Add(65_535);
        UdpGuard guard = CreateGuard(options);

        Assert.True(guard.Admit(Raw("127.0.0.1", 7), 0));
        Assert.False(guard.Admit(Raw("127.0.0.1", 65_535), 0));
    }

    [Theory]
    [InlineData("::ffff:255.255.255.255")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::ffff:224.0.0.1")]
    [InlineData("::")]
    [InlineData("ff02::1")]
    [InlineData("255.255.255.255")]
    public void InvalidSources_AreDropped(string address)
    {
        UdpGuard guard = CreateGuard(new UdpGuardOptions());

        Assert.False(guard.Admit(Raw(address, 40_000), 0));
        Assert.Equal(1, guard.Counters.InvalidSource);
    }

    [Fact]
    public void SubnetBroadcastSource_IsDropped_ThroughTheMappedForm()
    {
        var broadcasts = new LocalBroadcastAddresses([0xC0A8_01FF]);   // 192.168.1.255
        UdpGuard guard = CreateGuard(new UdpGuardOptions(), broadcasts);

        Assert.False(guard.Admit(Raw("::ffff:192.168.1.255", 40_000), 0));
        Assert.True(guard.Admit(Raw("::ffff:192.168.1.254", 40_000), 0));
        Assert.Equal(1, guard.Counters.InvalidSource);
    }

    [Fact]
    public void PerSourceLimit_CountsIPv4AndItsMappedFormAsOneSource()
    {
        UdpGuard guard = CreateGuard(new UdpGuardOptions { PerSourceDatagramsPerSecond = 1, PerSourceBurst = 2 });

        Assert.True(guard.Admit(Raw("192.0.2.1", 40_000), 0));
        Assert.True(guard.Admit(Raw("::ffff:192.0.2.1", 40_001), 0));
        Assert.False(guard.Admit(Raw("192.0.2.1", 40_002), 0));
        Assert.True(guard.Admit(Raw("192.0.2.2", 40_000), 0));
        Assert.Equal(1, guard.Counters.SourceRateLimited);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void LoopbackSources_AreNotRateLimited_UnlessAsked_ButTheirPortsAreChecked(string loopback)
    {
        UdpGuard exempt = CreateGuard(new UdpGuardOptions { PerSourceDatagramsPerSecond = 1, PerSourceBurst = 1, GlobalDatagramsPerSecond = 1 });
        UdpGuard limited = CreateGuard(new UdpGuardOptions { PerSourceDatagramsPerSecond = 1, PerSourceBurst = 1, GlobalDatagramsPerSecond = 1, RateLimitLoopback = true });

        for (int i = 0; i < 10; i++)
        {
            Assert.True(exempt.Admit(Raw(loopback, 40_000), 0));
        }

        Assert.False(exempt.Admit(Raw(loopback, 19), 0));
        Assert.True(limited.Admit(Raw(loopback, 40_000), 0));
        Assert.False(limited.Admit(Raw(loopback, 40_000), 0));
        Assert.Equal(1, exempt.Counters.BlockedPort);
        Assert.Equal(0, exempt.Counters.SourceRateLimited + exempt.Counters.GlobalRateLimited);
    }

    [Fact]
    public void GlobalLimit_AppliesAcrossSources()
    {
        UdpGuard guard = CreateGuard(new UdpGuardOptions { PerSourceDatagramsPerSecond = null, GlobalDatagramsPerSecond = 3 });

        int admitted = 0;
        for (uint i = 0; i < 10; i++)
        {
            admitted += guard.Admit(Raw($"192.0.2.{i + 1}", 40_000), 0) ? 1 : 0;
        }

        Assert.Equal(3, admitted);
        Assert.Equal(7, guard.Counters.GlobalRateLimited);
        Assert.True(guard.Admit(Raw("192.0.2.1", 40_000), TicksPerSecond));
    }

    [Fact]
    public void RefusedFlood_DoesNotSpendTheGlobalBudget()
    {
        UdpGuard guard = CreateGuard(new UdpGuardOptions { PerSourceDatagramsPerSecond = 1, PerSourceBurst = 1, GlobalDatagramsPerSecond = 2 });

        for (int i = 0; i < 100; i++)
        {
            guard.Admit(Raw("192.0.2.1", 40_000), 0);
        }

        Assert.True(guard.Admit(Raw("192.0.2.2", 40_000), 0));
        Assert.Equal(99, guard.Counters.SourceRateLimited);
        Assert.Equal(0, guard.Counters.GlobalRateLimited);
    }

    [Fact]
    public void NoLimits_AdmitEverythingValid()
    {
        UdpGuard guard = CreateGuard(new UdpGuardOptions { PerSourceDatagramsPerSecond = null, GlobalDatagramsPerSecond = null });

        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(guard.Admit(Raw("192.0.2.1", 40_000), 0));
        }

        Assert.Null(guard.PerSource);
        Assert.Equal(0, guard.Counters.Total);
    }

    [Fact]
    public void SteadyState_AllocatesNothing_WhateverTheVerdict()
    {
        UdpGuard guard = CreateGuard(new UdpGuardOptions { PerSourceDatagramsPerSecond = 1, PerSourceBurst = 1, GlobalDatagramsPerSecond = 1_000_000 });
        SocketAddress[] sources =
        [
            Raw("::ffff:192.0.2.1", 40_000),   // admitted once, then over its rate
            Raw("::ffff:192.0.2.2", 7),        // a blocked port
            Raw("::ffff:224.0.0.1", 40_000),   // multicast
            Raw("2001:db8::1", 40_000),        // IPv6, over its rate after the first
        ];

        // Two rounds bring the sources into the table and write the first line of each drop reason.
        for (int i = 0; i < 2 * sources.Length; i++)
        {
            guard.Admit(sources[i % sources.Length], now: 0);
        }

        // Tiered compilation allocates on this thread while it swaps in optimised code (on-stack replacement, PGO
        // probes), so steady state is a pass after those have settled: the best of a few passes must allocate nothing.
        long now = 1;
        long[] passes = new long[5];
        for (int pass = 0; pass < passes.Length; pass++)
        {
            passes[pass] = AllocatedByAdmitting(guard, sources, ref now);
        }

        Assert.True(passes.Min() == 0, $"bytes allocated per pass of 10,000 datagrams: {string.Join(", ", passes)}");
        Assert.True(guard.Counters.Total >= 5 * 9_000, $"only {guard.Counters.Total} drops: the loop above did not exercise the drop paths");
    }

    [Fact]
    public void ThisHostsBroadcasts_IncludeLoopbacks()
    {
        // Every platform gives loopback 127.0.0.1/8, whose broadcast address is 127.255.255.255.
        Assert.True(LocalBroadcastAddresses.OfThisHost().Contains(0x7FFF_FFFF));
    }

    private static long AllocatedByAdmitting(UdpGuard guard, SocketAddress[] sources, ref long now)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            guard.Admit(sources[i % sources.Length], now);
            now += i % 100 == 99 ? 1 : 0;
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static UdpGuard CreateGuard(UdpGuardOptions options, LocalBroadcastAddresses? broadcasts = null) =>
        new(options, new UdpDropCounters(), new UdpDropLog(NullLogger.Instance, 10 * TicksPerSecond, TicksPerSecond), broadcasts ?? LocalBroadcastAddresses.None, now: 0, TicksPerSecond);

    private static SocketAddress Raw(string address, int port) => new IPEndPoint(IPAddress.Parse(address), port).Serialize();
}
