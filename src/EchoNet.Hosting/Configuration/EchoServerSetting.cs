using Microsoft.Extensions.Configuration;

namespace EchoNet.Hosting.Configuration;

/// <summary>One setting of the <c>EchoServer</c> section: where it is, and how its value sets the options.</summary>
internal sealed class EchoServerSetting
{
    private readonly Action<IConfigurationSection, EchoServerOptions, ICollection<string>> _apply;

    private EchoServerSetting(string path, Action<IConfigurationSection, EchoServerOptions, ICollection<string>> apply)
    {
        Path = path;
        Name = path[(path.LastIndexOf(':') + 1)..];
        _apply = apply;
    }

    /// <summary>Gets the setting's path within the section, such as <c>Port</c> or <c>UdpGuard:PerSourceBurst</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the option's name, the last part of <see cref="Path"/>: what <see cref="ArgumentException.ParamName"/> says when the option is out of range.</summary>
    public string Name { get; }

    /// <summary>A setting of one value.</summary>
    public static EchoServerSetting Of<T>(string path, SettingValue<T> value, Action<EchoServerOptions, T> set)
        => new(path, (section, options, errors) =>
        {
            if (ReadValue(section, value, errors, out T parsed))
            {
                set(options, parsed);
            }
        });

    /// <summary>
    /// A setting of several values (<c>Path:0</c>, <c>Path:1</c>…, a JSON array), which replace the option's own; an
    /// empty value leaves the option with none.
    /// </summary>
    public static EchoServerSetting ListOf<T>(string path, SettingValue<T> value, Action<EchoServerOptions, IReadOnlyList<T>> set)
        => new(path, (section, options, errors) =>
        {
            List<IConfigurationSection> items = [.. section.GetChildren()];
            if (items.Count == 0)
            {
                if (section.Value is { Length: > 0 } text)
                {
                    errors.Add($"{section.Path}: '{text}' is not a list: give each item its own key ({section.Path}:0, {section.Path}:1, …), or a JSON array.");
                }
                else if (section.Value is not null)
                {
                    set(options, []);
                }

                return;
            }

            List<T> parsed = new(items.Count);
            bool valid = true;
            foreach (IConfigurationSection item in items)
            {
                valid &= ReadValue(item, value, errors, out T one);
                parsed.Add(one);
            }

            if (valid)
            {
                set(options, parsed);
            }
        });

    /// <summary>Sets the option from the section's value, or adds to <paramref name="errors"/> why it cannot.</summary>
    public void Apply(IConfigurationSection section, EchoServerOptions options, ICollection<string> errors) => _apply(section, options, errors);

    private static bool ReadValue<T>(IConfigurationSection section, SettingValue<T> value, ICollection<string> errors, out T parsed)
    {
        parsed = default!;
        if (section.GetChildren().Any())
        {
            errors.Add($"{section.Path} takes one value, not a section of its own.");
            return false;
        }

        // A key without a value (null in JSON) leaves the option as it is, as the runtime's binder does.
        if (section.Value is not { } text)
        {
            return false;
        }

        if (!value.TryParse(text, out parsed))
        {
            errors.Add($"{section.Path}: '{text}' is not {value.Allowed}.");
            return false;
        }

        return true;
    }
}
