namespace EchoNet.Load;

/// <summary>Where a running bench is, once a second: its phases, every verified echo and fault so far, and the connections still running.</summary>
internal readonly record struct BenchProgress(BenchClock Clock, long Echoed, long Faults, int Active);
