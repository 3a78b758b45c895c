using EchoNet;
using EchoNet.Hosting;
using EchoNet.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds an EchoNet echo server to a .NET Generic Host.</summary>
public static class EchoServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds an echo server that binds when the host starts and drains when it stops. The options are read and validated
    /// when the host starts: a value that cannot be read, a key that is not a setting, or an option out of range stops
    /// the start with an <see cref="OptionsValidationException"/> naming it (for example <c>EchoServer:Port</c>) and
    /// what it may be. The binding uses no reflection, so trimmed and native (NativeAOT) apps bind it too.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">
    /// A configuration section bound to <see cref="EchoServerOptions"/> (for example <c>"EchoServer"</c>), or
    /// <see langword="null"/>; its <c>TlsCertificate</c> section (<see cref="EchoServerTlsCertificateOptions"/>) names a
    /// certificate to serve TLS with.
    /// </param>
    /// <param name="configure">Changes the options after binding, or <see langword="null"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddEchoServer(this IServiceCollection services, IConfiguration? configuration = null, Action<EchoServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<EchoServerOptions> options = services.AddOptions<EchoServerOptions>();
        OptionsBuilder<EchoServerTlsCertificateOptions> certificate = services.AddOptions<EchoServerTlsCertificateOptions>();
        if (configuration is not null)
        {
            // Bound setting by setting rather than by the runtime's reflection binder, so a trimmed or native app binds it too.
            services.AddSingleton<IConfigureOptions<EchoServerOptions>>(new EchoServerConfigurationBinding(configuration));
            services.AddSingleton<IOptionsChangeTokenSource<EchoServerOptions>>(new ConfigurationChangeTokenSource<EchoServerOptions>(configuration));
            certificate.Configure(o =>
            {
                // A section of its own, read by hand as the rest is.
                IConfigurationSection tls = configuration.GetSection("TlsCertificate");
                o.Path = tls["Path"];
                o.KeyPath = tls["KeyPath"];
                o.Password = tls["Password"];
            });
        }

        // The certificate first, so that `configure` sees it and may adjust the TLS options.
        options.Configure<TlsCertificateSource>(static (o, source) => source.Apply(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // A failure names the setting by its configuration path: EchoServer:Port for the section the README binds.
        string sectionPath = configuration switch { IConfigurationSection section => section.Path, null => "EchoServer", _ => "" };
        services.AddSingleton<TlsCertificateSource>();
        services.AddSingleton<IValidateOptions<EchoServerOptions>>(provider => new EchoServerOptionsValidation(sectionPath, provider.GetRequiredService<TlsCertificateSource>()));
        options.ValidateOnStart();
        services.AddSingleton<EchoServerHostedService>();
        services.AddHostedService(provider => provider.GetRequiredService<EchoServerHostedService>());
        return services;
    }
}
