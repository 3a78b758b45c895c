using System.CommandLine;
using System.CommandLine.Parsing;

namespace EchoNet.Cli.Commands;

/// <summary>
/// An option whose value is one of a few names, parsed straight to the typed value each stands for, so a command
/// reads an <see cref="EchoConcurrencyModel"/> rather than a string it maps back by hand. Not given, it is
/// <see langword="null"/>: the library's default applies. Any other name is a parse error that lists the names.
/// </summary>
internal sealed class ChoiceOption<T> : Option<T?>
    where T : struct
{
    private readonly (string Name, T Value)[] _choices;

    /// <param name="name">The option's name, such as <c>--model</c>.</param>
    /// <param name="alias">A short alias such as <c>-m</c>, or <see langword="null"/>.</param>
    /// <param name="choices">The names and their values, in the order help lists them; matched in any case.</param>
    public ChoiceOption(string name, string? alias, params (string Name, T Value)[] choices)
        : base(name, alias is null ? [] : [alias])
    {
        _choices = choices;
        string[] names = [.. choices.Select(choice => choice.Name)];
        HelpName = string.Join('|', names);

        // In place of the completions System.CommandLine makes from an enum's member names, which are not these.
        CompletionSources.Clear();
        CompletionSources.Add(names);
        CustomParser = result =>
        {
            string given = result.Tokens[0].Value;
            if (Find(given) is { } value)
            {
                return value;
            }

            result.AddError($"{Name} must be one of {string.Join(", ", names)} (got '{given}').");
            return null;
        };
    }

    private T? Find(string given)
    {
        foreach ((string name, T value) in _choices)
        {
            if (string.Equals(name, given, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
