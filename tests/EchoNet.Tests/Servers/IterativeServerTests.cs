namespace EchoNet.Tests.Servers;

/// <summary>The shared suite against the iterative model.</summary>
public sealed class IterativeServerTests : TcpEchoServerTests
{
    protected override bool ServesClientsConcurrently => false;

    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseIterative();
}
