using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace EchoNet.Cli.Commands;

/// <summary>
/// Range checks for options, with messages that name the option, the allowed range and the value given; and the
/// guard that keeps every check from reading a value System.CommandLine could not convert.
/// </summary>
/// <remarks>
/// Validators run before System.CommandLine converts the values, and reading one that does not convert (<c>--port
/// abc</c>) throws. The checks here read through <see cref="Converted{T}(OptionResult, out T)"/> and commands' own
/// validators start with <see cref="ValuesConvert"/>: they pass such a value over, and System.CommandLine reports it as
/// the usage error it is.
/// </remarks>
internal static class OptionRules
{
    public static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.CustomParser = result => Parse<int>(result, NumberStyles.Integer, $"{option.Name} must be a whole number from {min:N0} to {max:N0}") ?? 0;
        option.Validators.Add(result =>
        {
            if (result.Converted(out int value) && (value < min || value > max))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be from {min:N0} to {max:N0} (got {value:N0})."));
            }
        });
        return option;
    }

    public static Option<int?> InRange(this Option<int?> option, int min, int max)
    {
        option.CustomParser = result => Parse<int>(result, NumberStyles.Integer, $"{option.Name} must be a whole number from {min:N0} to {max:N0}");
        option.Validators.Add(result =>
        {
            if (result.Converted(out int? given) && given is int value && (value < min || value > max))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be from {min:N0} to {max:N0} (got {value:N0})."));
            }
        });
        return option;
    }

    /// <summary>A number of seconds, fractions allowed (0.5), within a range.</summary>
    public static Option<double> Seconds(this Option<double> option, double min, double max, bool minExclusive)
    {
        option.CustomParser = result => Parse<double>(result, NumberStyles.Float, $"{option.Name} must be a number of seconds, such as 5 or 0.5") ?? 0;
        option.Validators.Add(result =>
        {
            if (!result.Converted(out double value))
            {
                return;
            }

            bool tooSmall = minExclusive ? value <= min : value < min;
            if (tooSmall || value > max || double.IsNaN(value))
            {
                string range = minExclusive
                    ? string.Create(CultureInfo.InvariantCulture, $"more than {min} and at most {max}")
                    : string.Create(CultureInfo.InvariantCulture, $"from {min} to {max}");
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be {range} seconds (got {value})."));
            }
        });
        return option;
    }

    /// <summary>Whether every option given to the command converts to its type; a command's validators return early when not.</summary>
    /// <remarks>
    /// Options only: an argument converted this early keeps its value without running its own validators (PORT's
    /// range), and the commands' validators look only at whether HOST and PORT were given.
    /// </remarks>
    public static bool ValuesConvert(this CommandResult result) =>
        result.Children.OfType<OptionResult>().All(option => TryRead(option.GetValueOrDefault<object?>, out _));

    /// <summary>The option's value, or <see langword="false"/> when it does not convert.</summary>
    public static bool Converted<T>(this OptionResult result, out T value) => TryRead(result.GetValueOrDefault<T>, out value);

    /// <summary>The argument's value, or <see langword="false"/> when it does not convert.</summary>
    public static bool Converted<T>(this ArgumentResult result, out T value) => TryRead(result.GetValueOrDefault<T>, out value);

    /// <summary>The option's number, read the same whatever the culture; anything else is an error that says what was expected.</summary>
    /// <param name="expected">What the option takes, as the error says it: "--port must be a whole number from 0 to 65,535".</param>
    public static T? Parse<T>(ArgumentResult result, NumberStyles styles, string expected)
        where T : struct, INumberBase<T>
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (T.TryParse(token, styles, CultureInfo.InvariantCulture, out T value))
        {
            return value;
        }

        result.AddError($"{expected} (got '{token}').");
        return null;
    }

    private static bool TryRead<T>(Func<T> read, out T value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            // The conversion's own error: System.CommandLine reports it, with the option and the value.
            value = default!;
            return false;
        }
    }
}
