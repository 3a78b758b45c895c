namespace EchoNet.Tests.Servers;

/// <summary>The shared suite against the select model.</summary>
public sealed class SelectServerTests : TcpEchoServerTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseSelect();
}
