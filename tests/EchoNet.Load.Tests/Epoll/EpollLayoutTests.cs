using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using EchoNet.Load.Epoll;

namespace EchoNet.Load.Tests.Epoll;

/// <summary>
/// The epoll loop's view of <c>struct epoll_event</c> and <c>struct timespec</c> is the kernel's: declared per
/// architecture, checked against the kernel of the machine that runs the tests, and refused where undeclared.
/// </summary>
public sealed class EpollLayoutTests
{
    [Fact]
    public void X64_IsPacked_To12Bytes_WithTheDataAtOffset4()
    {
        EpollEventLayout layout = EpollEventLayout.For(Architecture.X64)!.Value;

        Assert.Equal(12, layout.Size);
        Assert.Equal(4, layout.DataOffset);
    }

    [Fact]
    public void Arm64_IsNatural_16Bytes_WithTheDataAlignedTo8()
    {
        EpollEventLayout layout = EpollEventLayout.For(Architecture.Arm64)!.Value;

        Assert.Equal(16, layout.Size);
        Assert.Equal(8, layout.DataOffset);
    }

    [Theory]
    [InlineData(Architecture.X86)]
    [InlineData(Architecture.Arm)]
    [InlineData(Architecture.RiscV64)]
    [InlineData(Architecture.S390x)]
    public void UndeclaredArchitecture_HasNoLayout_AndIsRefusedByName(Architecture architecture)
    {
        Assert.Null(EpollEventLayout.For(architecture));

        PlatformNotSupportedException error = EpollEventLayout.Unsupported(architecture);

        Assert.Contains(architecture.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("x64 and arm64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timespec_IsTwo64BitFields()
    {
        Assert.Equal(16, Marshal.SizeOf<Timespec>());
        Assert.Equal(0, (int)Marshal.OffsetOf<Timespec>(nameof(Timespec.Seconds)));
        Assert.Equal(8, (int)Marshal.OffsetOf<Timespec>(nameof(Timespec.Nanoseconds)));
        Assert.Equal(new Timespec { Seconds = 1, Nanoseconds = 500_000_000 }, Timespec.FromNanoseconds(1_500_000_000));
    }

    [Fact]
    public unsafe void ThisMachine_EitherRoundTripsAnEventThroughTheKernel_OrRefusesTheLoop()
    {
        if (EpollEventLayout.Current is not EpollEventLayout layout)
        {
            // An architecture without a declared layout: the loop must not start.
            Assert.Throws<PlatformNotSupportedException>(() => new EpollTcpLoop([], new BenchSettings { Target = new IPEndPoint(IPAddress.Loopback, 7), Host = "x", UseEpoll = false }, () => null!));
            return;
        }

        (Socket client, Socket server) = ConnectedPair();
        using (client)
        using (server)
        {
            int epoll = EpollInterop.Create();
            Assert.True(epoll >= 0, $"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
            try
            {
                // Data whose every byte differs: read at the wrong offset, it would not come back whole.
                const ulong Data = 0x0123_4567_89AB_CDEF;
                byte* interest = stackalloc byte[layout.Size];
                layout.Write(interest, 0, EpollInterop.In, Data);
                Assert.Equal(0, EpollInterop.Control(epoll, EpollInterop.Add, (int)server.SafeHandle.DangerousGetHandle(), interest));
                client.Send([42]);

                byte* events = stackalloc byte[2 * layout.Size];
                var timeout = Timespec.FromNanoseconds((long)TestTimeouts.Step.TotalMilliseconds * 1_000_000);
                int ready = EpollInterop.WaitPrecisely(epoll, events, 2, &timeout, 0);

                Assert.Equal(1, ready);
                Assert.Equal(Data, layout.DataAt(events, 0));
                Assert.Equal(EpollInterop.In, layout.MaskAt(events, 0) & EpollInterop.In);
            }
            finally
            {
                _ = EpollInterop.Close(epoll);
            }
        }
    }

    private static (Socket Client, Socket Server) ConnectedPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        return (client, listener.Accept());
    }
}
