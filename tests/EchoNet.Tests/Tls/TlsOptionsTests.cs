using System.Security.Cryptography.X509Certificates;
using EchoNet.Tests.Support;

namespace EchoNet.Tests.Tls;

/// <summary>TLS is checked once, at Build(): the models that cannot serve it are named, and a certificate is required.</summary>
public sealed class TlsOptionsTests
{
    [Fact]
    public void NoModelChosen_TlsGetsTheAsyncModel()
    {
        EchoServer server = new EchoServerBuilder().UseTls(TestCertificates.Localhost).Build();
        Assert.Equal(EchoConcurrencyModel.Async, server.Model);
    }

    [Theory]
    [InlineData(EchoConcurrencyModel.Select)]
    [InlineData(EchoConcurrencyModel.EventLoop)]
    public void ModelWithoutAStreamPerConnection_IsAnErrorNamingTheModelsThatCan(EchoConcurrencyModel model)
    {
        EchoServerBuilder builder = new EchoServerBuilder().UseModel(model).UseTls(TestCertificates.Localhost);
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(builder.Build);
        Assert.Equal(nameof(EchoServerOptions.Model), error.ParamName);
        Assert.Contains("Async, ThreadPerClient or Iterative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TlsWithUdp_IsAnError()
    {
        EchoServerBuilder builder = new EchoServerBuilder().UseTcp().UseUdp().UseTls(TestCertificates.Localhost);
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(builder.Build);
        Assert.Equal(nameof(EchoServerOptions.Tls), error.ParamName);
    }

    [Fact]
    public void OptionsWithoutACertificate_AreAnError()
    {
        EchoServerBuilder builder = new EchoServerBuilder().UseTls(_ => { });
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(builder.Build);
        Assert.Equal(nameof(EchoServerOptions.Tls), error.ParamName);
        Assert.Contains("ServerCertificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateWithoutItsKey_IsAnError()
    {
        using X509Certificate2 publicOnly = X509CertificateLoader.LoadCertificate(TestCertificates.Localhost.RawData);
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new EchoServerBuilder().UseTls(publicOnly));
        Assert.Contains("private key", error.Message, StringComparison.Ordinal);
        EchoServerBuilder configured = new EchoServerBuilder().UseTls(tls => tls.ServerCertificate = publicOnly);
        Assert.Equal(nameof(EchoServerOptions.Tls), Assert.ThrowsAny<ArgumentException>(configured.Build).ParamName);
    }

    [Fact]
    public void HandshakeTimeoutUnderASecond_IsAnError()
    {
        EchoServerBuilder builder = new EchoServerBuilder().UseTls(TestCertificates.Localhost).UseTlsHandshakeTimeout(TimeSpan.FromMilliseconds(10));
        Assert.Equal(nameof(EchoServerOptions.TlsHandshakeTimeout), Assert.ThrowsAny<ArgumentException>(builder.Build).ParamName);
    }
}
