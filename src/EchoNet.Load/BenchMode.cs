namespace EchoNet.Load;

/// <summary>How a bench connection paces its messages.</summary>
internal enum BenchMode
{
    /// <summary>Closed loop, one message in flight: send, wait for the whole echo, send the next. Measures latency.</summary>
    PingPong,

    /// <summary>Closed loop, up to a window of messages in flight per connection. Measures throughput.</summary>
    Pipeline,

    /// <summary>
    /// Open loop: messages go out on a fixed schedule of <see cref="BenchSettings.Rate"/> per second over all
    /// connections, whether or not earlier echoes are back (up to the window in flight), and each latency counts from
    /// the message's intended send time, so a server that stalls shows its stall in the tail (no coordinated omission).
    /// </summary>
    Rate,
}
