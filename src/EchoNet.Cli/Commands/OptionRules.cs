using System.CommandLine;
using System.Globalization;

namespace EchoNet.Cli.Commands;

/// <summary>Range checks for options, with messages that name the option, the allowed range and the value given.</summary>
internal static class OptionRules
{
    public static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be from {min:N0} to {max:N0} (got {value:N0})."));
            }
        });
        return option;
    }

    public static Option<int?> InRange(this Option<int?> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is int value && (value < min || value > max))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be from {min:N0} to {max:N0} (got {value:N0})."));
            }
        });
        return option;
    }

    /// <summary>A number of seconds, fractions allowed (0.5), within a range.</summary>
    public static Option<double> Seconds(this Option<double> option, double min, double max, bool minExclusive)
    {
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
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
}
