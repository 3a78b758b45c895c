using EchoNet;
using EchoNet.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds an EchoNet echo server to a .NET Generic Host.</summary>
public static class EchoServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds an echo server that binds when the host starts and drains when it stops. The options are validated when
    /// the host starts: an invalid one stops the start with an <see cref="OptionsValidationException"/> naming it.
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
            options.Bind(configuration);
            certificate.Bind(configuration.GetSection("TlsCertificate"));
        }

        // The certificate first, so that `configure` sees it and may adjust the TLS options.
        options.Configure<TlsCertificateSource>(static (o, source) => source.Apply(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<TlsCertificateSource>();
        services.AddSingleton<IValidateOptions<EchoServerOptions>, EchoServerOptionsValidation>();
        options.ValidateOnStart();
        services.AddSingleton<EchoServerHostedService>();
        services.AddHostedService(provider => provider.GetRequiredService<EchoServerHostedService>());
        return services;
    }
}
