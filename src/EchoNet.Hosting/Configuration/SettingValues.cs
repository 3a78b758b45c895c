using System.Globalization;
using System.Net;

namespace EchoNet.Hosting.Configuration;

/// <summary>
/// The kinds of value the <c>EchoServer</c> section holds, read as the runtime's configuration binder reads them
/// (invariant culture, surrounding spaces ignored, enum names in any case or their numbers, an empty value clears an
/// option that may be null), without its reflection.
/// </summary>
internal static class SettingValues
{
    public static SettingValue<int> Int32 { get; } = new(
        "a whole number",
        (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));

    public static SettingValue<bool> Boolean { get; } = new("true or false", bool.TryParse);

    public static SettingValue<TimeSpan> TimeSpan { get; } = new(
        "a time span as [d.]hh:mm:ss[.fffffff], such as 00:00:30",
        (string text, out TimeSpan value) => System.TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value));

    public static SettingValue<IPAddress?> Address { get; } = new(
        "an IP address such as 127.0.0.1 or ::1 (or empty for every interface)",
        (string text, out IPAddress? value) =>
        {
            if (text.Length == 0)
            {
                value = null;
                return true;
            }

            return IPAddress.TryParse(text, out value);
        });

    /// <summary>A file system path as written (its length and characters are checked by <see cref="EchoServerOptions.Validate"/>), or empty for none.</summary>
    public static SettingValue<string?> PathOrEmpty { get; } = new(
        "a file system path such as /run/echo/echo.sock (or empty for none)",
        (string text, out string? value) =>
        {
            value = text.Length == 0 ? null : text;
            return true;
        });

    /// <summary>An enum by one of its names (in any case), several joined by commas for a flags enum, or its number; <see cref="EchoServerOptions.Validate"/> rejects numbers it does not define.</summary>
    public static SettingValue<TEnum> Enum<TEnum>(string allowed)
        where TEnum : struct, Enum
        => new(allowed, (string text, out TEnum value) => System.Enum.TryParse(text, ignoreCase: true, out value));

    /// <summary>An enum by one of its names (in any case) or its number.</summary>
    public static SettingValue<TEnum> Enum<TEnum>()
        where TEnum : struct, Enum
        => Enum<TEnum>($"one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");

    /// <summary>A value that may also be empty, which sets the option to <see langword="null"/>.</summary>
    public static SettingValue<T?> OrEmpty<T>(SettingValue<T> value)
        where T : struct
        => new(
            $"{value.Allowed} (or empty for none)",
            (string text, out T? result) =>
            {
                if (text.Length == 0)
                {
                    result = null;
                    return true;
                }

                bool parsed = value.TryParse(text, out T parsedValue);
                result = parsed ? parsedValue : null;
                return parsed;
            });
}
