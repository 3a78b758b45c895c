namespace EchoNet.Tests.Client;

public sealed class IterativeTcpEchoClientTests : TcpEchoClientTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseIterative();
}

public sealed class SelectTcpEchoClientTests : TcpEchoClientTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseSelect();
}

public sealed class ThreadPerClientTcpEchoClientTests : TcpEchoClientTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseThreadPerClient();
}

public sealed class AsyncTcpEchoClientTests : TcpEchoClientTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseAsync();
}
