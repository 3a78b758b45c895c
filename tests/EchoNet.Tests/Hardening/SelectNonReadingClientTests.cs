namespace EchoNet.Tests.Hardening;

/// <summary>The non-reading client test against the select model.</summary>
[Collection(nameof(ProcessMemoryMeasurements))]
public sealed class SelectNonReadingClientTests : NonReadingClientTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseSelect();
}
