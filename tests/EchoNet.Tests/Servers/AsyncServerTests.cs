namespace EchoNet.Tests.Servers;

/// <summary>The shared suite against the async model.</summary>
public sealed class AsyncServerTests : TcpEchoServerTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseAsync();
}
