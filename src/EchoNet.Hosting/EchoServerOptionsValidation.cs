using Microsoft.Extensions.Options;

namespace EchoNet.Hosting;

/// <summary>Validates the configured options by the library's own rules, so the host fails at start with the same message as <see cref="EchoServerBuilder.Build"/>.</summary>
internal sealed class EchoServerOptionsValidation(TlsCertificateSource certificate) : IValidateOptions<EchoServerOptions>
{
    public ValidateOptionsResult Validate(string? name, EchoServerOptions options)
    {
        if (certificate.Error is { } error)
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
            return ValidateOptionsResult.Fail($"EchoServer:{e.ParamName}: {e.Message}");
        }
    }
}
