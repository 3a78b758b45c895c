using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EchoNet.Hosting.Configuration;

/// <summary>
/// Sets <see cref="EchoServerOptions"/> from a configuration section, setting by setting (<see cref="EchoServerSettings"/>),
/// with no reflection, so a trimmed or native host binds it too. A value that cannot be read, or a key that is not a
/// setting, fails the options with an <see cref="OptionsValidationException"/> naming it and what it may be.
/// </summary>
internal sealed class EchoServerConfigurationBinding : IConfigureOptions<EchoServerOptions>
{
    private readonly IConfiguration _configuration;

    public EchoServerConfigurationBinding(IConfiguration configuration) => _configuration = configuration;

    public void Configure(EchoServerOptions options)
    {
        List<string> errors = [];
        Bind(_configuration, prefix: "", options, errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(EchoServerOptions), errors);
        }
    }

    private static void Bind(IConfiguration section, string prefix, EchoServerOptions options, List<string> errors)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            string path = prefix + child.Key;
            if (prefix.Length == 0 && Is("TlsCertificate", path))
            {
                // Bound to EchoServerTlsCertificateOptions, and checked when the certificate is loaded.
                continue;
            }

            if (EchoServerSettings.All.FirstOrDefault(setting => Is(setting.Path, path)) is { } setting)
            {
                setting.Apply(child, options, errors);
            }
            else if (EchoServerSettings.All.Where(setting => setting.Path.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase)).ToList() is { Count: > 0 } group)
            {
                if (child.Value is { Length: > 0 } text)
                {
                    errors.Add($"{child.Path}: '{text}' is not a value it takes: it is a group of settings ({string.Join(", ", group.Select(s => s.Name))}).");
                }

                Bind(child, path + ":", options, errors);
            }
            else
            {
                errors.Add(
                    $"{child.Path} is not a setting of the echo server. The settings are {string.Join(", ", EchoServerSettings.All.Select(s => s.Path))}; " +
                    "the clock and the logger and meter factories are set in code (AddEchoServer's configure).");
            }
        }
    }

    // Configuration keys are case-insensitive.
    private static bool Is(string settingPath, string path) => string.Equals(settingPath, path, StringComparison.OrdinalIgnoreCase);
}
