namespace EchoNet.Hosting.Configuration;

/// <summary>How the text of one configuration value becomes a value of <typeparamref name="T"/>, and what to tell the reader when it cannot.</summary>
/// <typeparam name="T">The type of the option the value sets.</typeparam>
internal sealed class SettingValue<T>
{
    private readonly Parser _parse;

    public SettingValue(string allowed, Parser parse)
    {
        Allowed = allowed;
        _parse = parse;
    }

    /// <summary>Parses the text of a value, already trimmed.</summary>
    public delegate bool Parser(string text, out T value);

    /// <summary>Gets what the value may be, as it reads after "is not" (for example "a whole number").</summary>
    public string Allowed { get; }

    public bool TryParse(string text, out T value) => _parse(text.Trim(), out value);
}
