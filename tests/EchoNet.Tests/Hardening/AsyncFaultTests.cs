namespace EchoNet.Tests.Hardening;

/// <summary>The fault suite against the async model.</summary>
public sealed class AsyncFaultTests : TcpFaultTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseAsync();
}
