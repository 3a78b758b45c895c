namespace EchoNet.Tests.Hardening;

/// <summary>
/// Tests that measure this process's memory run alone: the servers run in-process, and other tests running at the
/// same time would add their own allocations to the figure.
/// </summary>
[CollectionDefinition(nameof(ProcessMemoryMeasurements), DisableParallelization = true)]
public sealed class ProcessMemoryMeasurements;
