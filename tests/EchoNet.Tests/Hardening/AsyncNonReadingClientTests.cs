namespace EchoNet.Tests.Hardening;

/// <summary>The non-reading client test against the async model.</summary>
[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class AsyncNonReadingClientTests : NonReadingClientTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseAsync();
}
