namespace EchoNet.Tests.Hardening;

/// <summary>The fault suite against the iterative model.</summary>
public sealed class IterativeFaultTests : TcpFaultTests
{
    protected override bool ServesClientsConcurrently => false;

    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseIterative();
}
