namespace EchoNet.Diagnostics;

/// <summary>Why the server ended a connection, when the server chose to.</summary>
internal enum CloseReason
{
    /// <summary>The client closed, reset or aborted, or the server stopped.</summary>
    Ordinary,

    /// <summary>No byte arrived for the idle timeout.</summary>
    Idle,

    /// <summary>The client left its echo unread for the send-stall timeout.</summary>
    SendStalled,

    /// <summary>The client did not finish its TLS handshake within the handshake timeout.</summary>
    HandshakeTimedOut,
}
