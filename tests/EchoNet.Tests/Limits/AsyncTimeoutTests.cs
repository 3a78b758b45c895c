namespace EchoNet.Tests.Limits;

/// <summary>The timeout suite against the async model.</summary>
public sealed class AsyncTimeoutTests : TcpTimeoutTests
{
    protected override EchoServerBuilder UseModel(EchoServerBuilder builder) => builder.UseAsync();
}
