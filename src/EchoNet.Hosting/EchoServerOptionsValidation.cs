using EchoNet.Hosting.Configuration;
using Microsoft.Extensions.Options;

namespace EchoNet.Hosting;

/// <summary>Validates the configured options by the library's own rules, so the host fails at start with the same message as <see cref="EchoServerBuilder.Build"/>, naming the setting by its configuration path.</summary>
internal sealed class EchoServerOptionsValidation : IValidateOptions<EchoServerOptions>
{
    private readonly string _sectionPath;
    private readonly TlsCertificateSource _certificate;

    /// <param name="sectionPath">The path of the configuration section the options come from (<c>EchoServer</c>), or empty for the root.</param>
    /// <param name="certificate">The TLS certificate the section names, if any, with why it could not be loaded.</param>
    public EchoServerOptionsValidation(string sectionPath, TlsCertificateSource certificate)
    {
        _sectionPath = sectionPath;
        _certificate = certificate;
    }

    public ValidateOptionsResult Validate(string? name, EchoServerOptions options)
    {
        if (_certificate.Error is { } error)
        {
            return ValidateOptionsResult.Fail(error);
        }

        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            string setting = EchoServerSettings.PathOf(e.ParamName ?? "");
            return ValidateOptionsResult.Fail(_sectionPath.Length == 0 ? $"{setting}: {e.Message}" : $"{_sectionPath}:{setting}: {e.Message}");
        }
    }
}
