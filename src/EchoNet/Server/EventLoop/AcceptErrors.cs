using EchoNet.Interop;
using EchoNet.Server.Tcp;

namespace EchoNet.Server.EventLoop;

/// <summary>What an errno from accepting means to an event loop, whichever backend reported it.</summary>
internal static class AcceptErrors
{
    public static AcceptFailure Classify(int errno) => errno switch
    {
        // A client that left before we took it, or a firewall's refusal: take the next one.
        Linux.EAGAIN or Linux.EINTR or Linux.ECONNABORTED or Linux.EPERM or 104 => AcceptFailure.RetryNow,

        // Out of descriptors or memory: stop accepting for a while instead of spinning.
        Linux.EMFILE or Linux.ENFILE or Linux.ENOBUFS or Linux.ENOMEM => AcceptFailure.BackOff,
        _ => AcceptFailure.Fatal,
    };
}
