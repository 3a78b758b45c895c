using System.Net;
using System.Net.Sockets;
using EchoNet.Server.Udp;

namespace EchoNet.Tests.Hardening;

/// <summary>Reading and normalising datagram sources from raw socket addresses.</summary>
public sealed class DatagramSourceTests
{
    [Fact]
    public void IPv4MappedSource_IsTheSameSourceAsPlainIPv4()
    {
        DatagramSource mapped = Read("::ffff:192.0.2.7", 4000, out int mappedPort);
        DatagramSource plain = Read("192.0.2.7", 4000, out int plainPort);

        Assert.True(mapped.IsIPv4);
        Assert.Equal(plain, mapped);
        Assert.Equal(plain.GetHashCode(), mapped.GetHashCode());
        Assert.Equal(plain.RateLimitKey, mapped.RateLimitKey);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), mapped.ToIPAddress());
        Assert.Equal(AddressFamily.InterNetwork, mapped.ToIPAddress().AddressFamily);
        Assert.Equal(0xC000_0207u, mapped.IPv4);
        Assert.Equal(4000, mappedPort);
        Assert.Equal(4000, plainPort);
    }

    [Fact]
    public void IPv6Source_KeepsItsAddress_AndIsLimitedByItsSlash64()
    {
        DatagramSource one = Read("2001:db8:1:2::1", 5000, out int port);
        DatagramSource other = Read("2001:db8:1:2:ffff::9", 5000, out _);
        DatagramSource elsewhere = Read("2001:db8:1:3::1", 5000, out _);

        Assert.False(one.IsIPv4);
        Assert.Equal(IPAddress.Parse("2001:db8:1:2::1"), one.ToIPAddress());
        Assert.Equal(5000, port);
        Assert.NotEqual(one, other);
        Assert.Equal(one.RateLimitKey, other.RateLimitKey);
        Assert.NotEqual(one.RateLimitKey, elsewhere.RateLimitKey);
    }

    [Fact]
    public void IPv6PrefixKey_NeverEqualsAnIPv4Source()
    {
        Assert.NotEqual(Read("::ffff:0.0.0.1", 1, out _).RateLimitKey, Read("::1", 1, out _).RateLimitKey);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("255.255.255.255")]
    [InlineData("::ffff:255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("::ffff:224.0.0.251")]
    [InlineData("::")]
    [InlineData("ff02::1")]
    [InlineData("ff05::1:3")]
    public void UnspecifiedBroadcastAndMulticastSources_AreInvalid(string address)
    {
        Assert.True(Read(address, 4000, out _).IsInvalidSource);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("192.0.2.255")]
    [InlineData("223.255.255.254")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("2001:db8::ff")]
    public void UnicastSources_AreValid(string address)
    {
        Assert.False(Read(address, 4000, out _).IsInvalidSource);
    }

    [Fact]
    public void PortIsReadInNetworkOrder()
    {
        Read("192.0.2.1", 0x1234, out int v4Port);
        Read("2001:db8::1", 0xFEDC, out int v6Port);

        Assert.Equal(0x1234, v4Port);
        Assert.Equal(0xFEDC, v6Port);
    }

    [Fact]
    public void NonIPAddress_IsNotRead()
    {
        var unix = new SocketAddress(AddressFamily.Unix, 110);

        Assert.False(DatagramSource.TryRead(unix, out _, out _));
    }

    private static DatagramSource Read(string address, int port, out int readPort)
    {
        SocketAddress raw = new IPEndPoint(IPAddress.Parse(address), port).Serialize();
        Assert.True(DatagramSource.TryRead(raw, out DatagramSource source, out readPort));
        return source;
    }
}
