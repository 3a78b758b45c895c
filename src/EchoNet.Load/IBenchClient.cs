namespace EchoNet.Load;

/// <summary>A TCP connection or UDP client of a bench run, as the runner watches it.</summary>
internal interface IBenchClient
{
    BenchCounters Counters { get; }

    /// <summary>Gets the <see cref="System.Diagnostics.Stopwatch"/> timestamp of the last verified echo.</summary>
    long LastProgress { get; }

    /// <summary>Sends and verifies until the measured time is over and its echoes are back; never throws.</summary>
    Task RunAsync(BenchClock clock);

    /// <summary>Stops the client from outside: <paramref name="timedOut"/> when it stalled, otherwise because the drain is over.</summary>
    void Abort(bool timedOut);
}
