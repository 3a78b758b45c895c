namespace EchoNet.Tests.Hardening;

/// <summary>The non-reading client test against the iterative model.</summary>
[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class IterativeNonReadingClientTests : NonReadingClientTests
{
    protected override bool ServesClientsConcurrently => false;

    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseIterative();
}
