namespace EchoNet.Server.Tcp;

/// <summary>What an accept error means for an accept loop.</summary>
internal enum AcceptFailure
{
    /// <summary>The error was about one client; accept the next at once.</summary>
    RetryNow,

    /// <summary>A resource ran out; wait before accepting again.</summary>
    BackOff,

    /// <summary>The listener itself is broken; the loop ends with the error.</summary>
    Fatal,
}
