namespace EchoNet.Load;

/// <summary>Why a bench connection ended before its last echo came back.</summary>
internal enum BenchEnd
{
    /// <summary>No echo for the I/O timeout: the watchdog dropped it.</summary>
    TimedOut,

    /// <summary>The drain after the measured time was over.</summary>
    Abandoned,

    /// <summary>A socket error.</summary>
    Failed,
}
