namespace EchoNet.Tests.Hardening;

/// <summary>How a scripted client ends its connection.</summary>
internal enum EchoScriptEnding
{
    /// <summary>Shuts its sending side, then reads until the server closes: the whole rest of the echo is owed.</summary>
    HalfClose,

    /// <summary>Resets the connection with echo still owed: what it read is all it gets, a prefix of what it sent.</summary>
    Reset,

    /// <summary>Reads back everything owed, then closes in order.</summary>
    ReadAllThenClose,
}
