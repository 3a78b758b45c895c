using System.Globalization;

namespace EchoNet.Cli;

/// <summary>A count with its noun in the right number: "1 connection", "2 connections", "1,000 connections".</summary>
internal static class Counted
{
    public static string Of(long count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many)}");
}
