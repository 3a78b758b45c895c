using System.CommandLine;
using System.Net.Security;

namespace EchoNet.Cli.Commands;

/// <summary>
/// <c>--tls</c>, <c>--insecure</c> and <c>--tls-host</c>, which <c>client</c>, <c>check</c> and <c>bench</c> share: talk
/// TLS, verifying the server's certificate for the host name (or <c>--tls-host</c>, also sent for SNI) unless told not to.
/// </summary>
internal sealed class TlsClientOptions
{
    public Option<bool> Tls { get; } = new("--tls") { Description = "Talk TLS: verify the server's certificate for HOST (or --tls-host) against the system's trust store." };

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "With --tls: accept any certificate (a self-signed test server); the traffic is encrypted but the server unverified." };

    public Option<string?> Host { get; } = new("--tls-host") { Description = "With --tls: the name the certificate must be valid for, sent for SNI (default: HOST)." };

    /// <summary>Adds the options to <paramref name="command"/>, and the rule that the last two need <c>--tls</c>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Tls);
        command.Options.Add(Insecure);
        command.Options.Add(Host);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Tls))
            {
                return;
            }

            if (result.GetValue(Insecure))
            {
                result.AddError("--insecure skips the TLS certificate check; it needs --tls.");
            }

            if (result.GetValue(Host) is not null)
            {
                result.AddError("--tls-host names the TLS server; it needs --tls.");
            }
        });
    }

    /// <summary>The client's TLS options for <paramref name="host"/>, or <see langword="null"/> without <c>--tls</c>.</summary>
    public SslClientAuthenticationOptions? For(ParseResult parsed, string host)
    {
        if (!parsed.GetValue(Tls))
        {
            return null;
        }

        var options = new SslClientAuthenticationOptions { TargetHost = parsed.GetValue(Host) ?? host.Trim('[', ']') };
        if (parsed.GetValue(Insecure))
        {
#pragma warning disable CA5359 // --insecure is the user's explicit choice for a self-signed test server; --help says what it costs.
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return options;
    }
}
