namespace EchoNet.Tests.Hardening;

/// <summary>The fault suite against the select model.</summary>
public sealed class SelectFaultTests : TcpFaultTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseSelect();
}
