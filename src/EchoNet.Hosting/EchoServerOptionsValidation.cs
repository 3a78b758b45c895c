using Microsoft.Extensions.Options;

namespace EchoNet.Hosting;

/// <summary>Validates the configured options exactly as <see cref="EchoServerBuilder.Build"/> does, so the host fails at start with the same message.</summary>
internal sealed class EchoServerOptionsValidation : IValidateOptions<EchoServerOptions>
{
    public ValidateOptionsResult Validate(string? name, EchoServerOptions options)
    {
        try
        {
            _ = new EchoServerBuilder(options).Build();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"EchoServer:{e.ParamName}: {e.Message}");
        }
    }
}
