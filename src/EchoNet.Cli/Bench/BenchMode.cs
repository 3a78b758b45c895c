namespace EchoNet.Cli.Bench;

/// <summary>How a bench connection paces its messages.</summary>
internal enum BenchMode
{
    /// <summary>One message in flight: send, wait for the whole echo, send the next. Measures latency.</summary>
    PingPong,

    /// <summary>Up to a window of messages in flight per connection. Measures throughput.</summary>
    Pipeline,
}
