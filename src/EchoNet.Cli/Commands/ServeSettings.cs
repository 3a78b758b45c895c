using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace EchoNet.Cli.Commands;

/// <summary>What <c>echonet serve</c> was asked for, and the <see cref="EchoServerBuilder"/> it makes.</summary>
internal sealed record ServeSettings
{
    public required string Transport { get; init; }

    public string? Model { get; init; }

    public int? Loops { get; init; }

    public EchoEventLoopBackend Backend { get; init; }

    public int Port { get; init; }

    public IPAddress? Bind { get; init; }

    public bool PortSharing { get; init; }

    public int? Backlog { get; init; }

    public int? ReadSize { get; init; }

    public int? MaxOwedBytes { get; init; }

    public int? MaxConnections { get; init; }

    public int? MaxConnectionsPerSource { get; init; }

    public TimeSpan? IdleTimeout { get; init; }

    public bool Stats { get; init; }

    /// <summary>Gets the Unix socket to serve instead of TCP, or <see langword="null"/>.</summary>
    public string? Unix { get; init; }

    public TimeSpan ShutdownTimeout { get; init; }

    public LogLevel LogLevel { get; init; }

    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    public string? TlsPassword { get; init; }

    public bool TlsSelfSigned { get; init; }

    /// <summary>The certificate to serve TLS with: loaded from --tls-cert, made for --tls-self-signed, or none.</summary>
    /// <exception cref="ArgumentException">The certificate cannot be loaded; the message names the file and says why.</exception>
    public X509Certificate2? LoadCertificate() =>
        TlsSelfSigned ? EchoCertificates.CreateSelfSigned()
        : TlsCertificate is null ? null
        : EchoCertificates.Load(TlsCertificate, TlsKey, TlsPassword);

    public EchoServerBuilder CreateBuilder(ILoggerFactory loggerFactory, X509Certificate2? certificate = null)
    {
        EchoServerBuilder builder = new EchoServerBuilder().UseLoggerFactory(loggerFactory);
        if (certificate is not null)
        {
            builder.UseTls(certificate);
        }

        builder = Transport switch
        {
            "udp" => builder.UseUdp(),
            "both" => builder.UseTcp().UseUdp(),
            _ => builder.UseTcp(),
        };

        if (Model is not null)
        {
            builder.UseModel(Model switch
            {
                "iterative" => EchoConcurrencyModel.Iterative,
                "select" => EchoConcurrencyModel.Select,
                "thread-per-client" => EchoConcurrencyModel.ThreadPerClient,
                "eventloop" => EchoConcurrencyModel.EventLoop,
                _ => EchoConcurrencyModel.Async,
            });
        }

        if (Model == "eventloop")
        {
            builder.UseEventLoop(Loops, Backend);
        }

        if (Bind is not null)
        {
            builder.BindTo(Bind);
        }

        if (Backlog is int backlog)
        {
            builder.UseBacklog(backlog);
        }

        if (ReadSize is int readSize)
        {
            builder.UseReadSize(readSize);
        }

        return builder.UsePortSharing(PortSharing).UseIdleTimeout(IdleTimeout).Configure(ApplyLimits);
    }

    /// <summary>Sets the shutdown timeout and the limits on <paramref name="options"/>, once the builder has set the rest.</summary>
    public void ApplyLimits(EchoServerOptions options)
    {
        options.ShutdownTimeout = ShutdownTimeout;

        // Unset stays null: the server then admits as many connections as the descriptor limit allows.
        options.MaxConnections = MaxConnections;
        options.MaxConnectionsPerSource = MaxConnectionsPerSource;

        // A large read size alone raises the owed-bytes cap with it rather than failing validation.
        options.MaxOwedBytes = MaxOwedBytes ?? Math.Max(options.MaxOwedBytes, options.ReadSize);
    }
}
